package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alertmanager's grouping semantics end to end (broker, dispatcher, signed webhook, checked by the
 * independent verifier): alerts that fire and resolve within one {@code group_wait} are sent once,
 * in their latest state; a notification says {@code resolved} only when every alert in it has;
 * the {@code Idempotency-Key} is the documented one; and the offsets are committed, so the FIRING
 * that the RESOLVED replaced is accounted for, not waited on.
 */
@ExtendWith(DevClusterExtension.class)
class GroupedNotificationsTest {

    private static final String SECRET = "whsec-grouping-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @SuppressWarnings("try") // the dispatcher only has to run during the body and be closed after it
    void an_episode_that_fires_and_resolves_within_one_batch_is_sent_once_in_its_latest_state(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook hook = new FaultyWebhook()) {
            String yaml = """
                    route: {receiver: hook, group_by: [hs_code], group_wait: 2s}
                    receivers:
                      - name: hook
                        webhook: {url: %s, signing_secret: %s}
                    """.formatted(hook.url(), SECRET);
            try (AlertsService service = bed.startDispatcher(yaml)) {
                DisruptionAlert brief = Alerts.firing("brief", "850511", Severity.CRITICAL);
                DisruptionAlert lasting = Alerts.firing("lasting", "850511", Severity.WARNING);
                DisruptionAlert gone = Alerts.firing("gone", "280530", Severity.WARNING);
                bed.produce(brief, lasting, gone, Alerts.resolved(brief), Alerts.resolved(gone));

                await().atMost(Duration.ofSeconds(20)).until(() -> hook.received().size() >= 2);
                await().atMost(Duration.ofSeconds(10)).until(bed::everythingCommitted);
                Thread.sleep(500); // time for a wrongly split or repeated notification to arrive
                List<FaultyWebhook.Received> received = hook.received();
                assertThat(received).as("one notification per commodity").hasSize(2);

                Map<String, JsonNode> byCommodity = new TreeMap<>();
                long now = Instant.now().getEpochSecond();
                for (FaultyWebhook.Received r : received) {
                    assertThat(IndependentVerifier.verify(SECRET, r.signature(), r.body(), now)).as("signature").isTrue();
                    JsonNode root = JSON.readTree(r.body());
                    byCommodity.put(root.path("commonLabels").path("hs_code").asText(), root);
                    List<String> keys = new ArrayList<>();
                    root.path("alerts").forEach(a -> keys.add(a.path("idempotencyKey").asText()));
                    String expectedKey = keys.size() == 1 ? keys.get(0)
                            : "g-" + sha256Prefix(root.path("groupKey").asText() + "\n" + String.join("\n", keys.stream().sorted().toList()));
                    assertThat(r.idempotencyKey()).as("Idempotency-Key").isEqualTo(expectedKey);
                }

                JsonNode magnets = byCommodity.get("850511");
                assertThat(magnets.path("status").asText()).as("one alert still firing").isEqualTo("firing");
                assertThat(magnets.path("alerts")).hasSize(2);
                assertThat(statesByFingerprint(magnets)).containsExactly(Map.entry("brief", "resolved"), Map.entry("lasting", "firing"));

                JsonNode oxides = byCommodity.get("280530");
                assertThat(oxides.path("status").asText()).as("everything in it resolved").isEqualTo("resolved");
                assertThat(statesByFingerprint(oxides)).containsExactly(Map.entry("gone", "resolved"));
                assertThat(received.stream().filter(r -> r.idempotencyKey().equals("gone:resolved"))).hasSize(1);
            }
        }
    }

    private static Map<String, String> statesByFingerprint(JsonNode notification) {
        Map<String, String> states = new TreeMap<>();
        notification.path("alerts").forEach(a -> {
            assertThat(states.put(a.path("fingerprint").asText(), a.path("status").asText())).as("each alert once").isNull();
            assertThat(a.path("labels").has("state")).as("no state label").isFalse();
        });
        return states;
    }

    private static String sha256Prefix(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
