package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.alerts.support.FaultyWebhook.Fault;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Given a real webhook that fails in every way a webhook fails, every alert still reaches it
 * (exactly once after dedup by key), a healthy receiver is never delayed or sent duplicates, and
 * offsets are committed only when all receivers are done.
 */
@ExtendWith(DevClusterExtension.class)
class DeliveryUnderFaultsTest {

    static final String SECRET = "whsec-faults-0123456789";
    /** The scenario is 60 s of connection refused; 5 s by default keeps the suite short (-Dalerts.test.outage.ms=60000). */
    static final long OUTAGE_MS = Long.getLong("alerts.test.outage.ms", 5_000);
    /** Enough attempts (at most 800 ms backoff or 500 ms open breaker each) to outlast the outage. */
    static final int ATTEMPTS = (int) (OUTAGE_MS / 400) + 30;

    static String routing(FaultyWebhook flaky, FaultyWebhook steady, Path archive) {
        return """
                route:
                  receivers: [flaky, steady, archive]
                  group_by: ['...']
                  group_wait: 0s
                  group_interval: 1s
                receivers:
                  - name: flaky
                    webhook:
                      url: %s
                      signing_secret: %s
                      connect_timeout: 500ms
                      read_timeout: 300ms
                    retry: {max_attempts: %d, initial_backoff: 50ms, max_backoff: 800ms, multiplier: 2, jitter: 0.5}
                    circuit_breaker: {sliding_window: 10, minimum_calls: 5, open_for: 500ms}
                  - name: steady
                    webhook: {url: %s, signing_secret: %s}
                  - name: archive
                    json_lines: {path: %s}
                """.formatted(flaky.url(), SECRET, ATTEMPTS, steady.url(), SECRET, archive);
    }

    static List<DisruptionAlert> batch(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> Alerts.firing(prefix + i, String.format("85%04d", i), Severity.WARNING)).toList();
    }

    @Test
    void five_hundreds_timeouts_429_and_an_outage_lose_nothing_and_duplicate_nothing_after_dedup(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook flaky = new FaultyWebhook();
             FaultyWebhook steady = new FaultyWebhook()) {
            Path archive = bed.dir().resolve("alerts.jsonl");
            flaky.script(Fault.SERVER_ERROR, Fault.SERVER_ERROR, Fault.SERVER_ERROR, Fault.slow(600), Fault.slow(600),
                    Fault.tooManyRequests("1"), Fault.unavailable("1"), Fault.SERVER_ERROR);
            List<DisruptionAlert> all = new ArrayList<>();
            try (AlertsService service = bed.startDispatcher(routing(flaky, steady, archive))) {

                List<DisruptionAlert> before = batch("before-", 10);
                bed.produce(before.toArray(DisruptionAlert[]::new));
                all.addAll(before);
                await().atMost(Duration.ofSeconds(20)).until(() -> steady.acceptedCounts().size() == 10);

                // the flaky endpoint goes away: connection refused for OUTAGE_MS
                flaky.down();
                long downAt = System.currentTimeMillis();
                List<DisruptionAlert> during = batch("during-", 10);
                bed.produce(during.toArray(DisruptionAlert[]::new));
                all.addAll(during);
                await("the healthy receiver is not held up by the broken one").atMost(Duration.ofSeconds(4))
                        .until(() -> steady.acceptedCounts().size() == 20);
                Thread.sleep(Math.max(0, downAt + OUTAGE_MS - System.currentTimeMillis()));
                flaky.up();
                List<DisruptionAlert> after = batch("after-", 10);
                bed.produce(after.toArray(DisruptionAlert[]::new));
                all.addAll(after);

                List<String> expected = AlertsTestBed.keys(all);
                await().atMost(Duration.ofSeconds(60)).until(() -> flaky.acceptedCounts().keySet().containsAll(expected));
                assertThat(flaky.received().stream().filter(r -> r.atMillis() > downAt && r.atMillis() < downAt + OUTAGE_MS))
                        .as("connection refused: nothing arrives during the outage").isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(bed::everythingCommitted);

                Map<String, Integer> flakyCounts = flaky.acceptedCounts();
                assertThat(flakyCounts.keySet()).as("none lost, none invented").containsExactlyElementsOf(expected);
                assertThat(steady.acceptedCounts()).as("healthy receiver: exactly once, no dedup needed")
                        .containsOnlyKeys(expected).allSatisfy((k, n) -> assertThat(n).isOne());
                assertThat(steady.received()).hasSize(30);
                List<String> lines = Files.readAllLines(archive);
                assertThat(lines).hasSize(30);
                assertThat(lines).allSatisfy(l -> assertThat(l).contains("\"version\":\"4\""));

                // duplicates at the flaky endpoint come only from answers the client did not wait for
                long timeouts = flaky.received().stream().filter(r -> r.accepted() && r.alertKeys().size() == 1)
                        .collect(Collectors.groupingBy(r -> r.alertKeys().get(0), Collectors.counting()))
                        .values().stream().filter(n -> n > 1).count();
                assertThat(timeouts).isLessThanOrEqualTo(2);
                assertThat(flaky.received().stream().map(FaultyWebhook.Received::status).distinct())
                        .contains(500, 429, 503, 200);

                // every request, retries included, carries a valid signature and the idempotency key
                long now = System.currentTimeMillis() / 1000;
                assertThat(flaky.received()).allSatisfy(r -> {
                    assertThat(IndependentVerifier.verify(SECRET, r.signature(), r.body(), now)).isTrue();
                    assertThat(r.idempotencyKey()).isEqualTo(r.alertKeys().get(0));
                });
                assertThat(bed.alertDeadLetters()).isEmpty();

                String metrics = service.registry().scrape();
                assertThat(metrics).contains("chokepoint_alerts_delivered_total{receiver=\"flaky\"} 30.0");
                assertThat(metrics).contains("chokepoint_alerts_delivered_total{receiver=\"steady\"} 30.0");
                assertThat(metric(metrics, "chokepoint_alerts_retried_total{receiver=\"flaky\"}")).isGreaterThan(8);
                assertThat(metric(metrics, "chokepoint_alerts_failed_total{receiver=\"flaky\"}")).isGreaterThan(8);
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the dispatcher only has to run during the body and be closed after it
    void retry_after_of_429_and_503_is_honoured_instead_of_the_short_backoff(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook hook = new FaultyWebhook()) {
            hook.script(Fault.tooManyRequests("2"), Fault.unavailable("1"));
            String yaml = """
                    route: {receiver: hook, group_by: ['...'], group_wait: 0s}
                    receivers:
                      - name: hook
                        webhook: {url: %s}
                        retry: {max_attempts: 5, initial_backoff: 20ms, max_backoff: 40ms, jitter: 0}
                    """.formatted(hook.url());
            try (AlertsService service = bed.startDispatcher(yaml)) {
                bed.produce(Alerts.firing("ra-1", "850511", Severity.CRITICAL));
                await().atMost(Duration.ofSeconds(20)).until(() -> hook.acceptedCounts().containsKey("ra-1:firing"));

                List<FaultyWebhook.Received> r = hook.received();
                assertThat(r).extracting(FaultyWebhook.Received::status).containsExactly(429, 503, 200);
                assertThat(r.get(1).atMillis() - r.get(0).atMillis()).as("waited Retry-After: 2").isBetween(1_900L, 3_500L);
                assertThat(r.get(2).atMillis() - r.get(1).atMillis()).as("waited Retry-After: 1").isBetween(900L, 2_500L);
            }
        }
    }

    @Test
    void a_rejected_notification_goes_to_the_fallback_and_an_undeliverable_one_to_the_dead_letter_topic(DevCluster cluster) {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook rejecting = new FaultyWebhook().otherwise(Fault.BAD_REQUEST);
             FaultyWebhook backup = new FaultyWebhook();
             FaultyWebhook broken = new FaultyWebhook().otherwise(Fault.SERVER_ERROR)) {
            String yaml = """
                    route:
                      receivers: [rejecting, broken]
                      group_by: ['...']
                      group_wait: 0s
                    receivers:
                      - name: rejecting
                        webhook: {url: %s}
                        fallback: backup
                      - name: backup
                        webhook: {url: %s}
                      - name: broken
                        webhook: {url: %s}
                        retry: {max_attempts: 3, initial_backoff: 20ms, max_backoff: 50ms}
                    """.formatted(rejecting.url(), backup.url(), broken.url());
            try (AlertsService service = bed.startDispatcher(yaml)) {
                DisruptionAlert alert = Alerts.firing("dl-1", "280530", Severity.CRITICAL);
                bed.produce(alert);

                await().atMost(Duration.ofSeconds(20)).until(() -> backup.acceptedCounts().containsKey("dl-1:firing"));
                assertThat(rejecting.received()).as("a 400 is not retried").hasSize(1);
                await().atMost(Duration.ofSeconds(20)).until(() -> !bed.alertDeadLetters().isEmpty());
                var dead = bed.alertDeadLetters();
                assertThat(dead).hasSize(1);
                assertThat(dead.get(0).getStage().name()).isEqualTo("DELIVERY");
                assertThat(dead.get(0).getCause()).contains("receiver 'broken'").contains("HTTP 500").contains("after 3 attempts");
                assertThat(dead.get(0).getSourceTopic()).isEqualTo(bed.topics().disruptionAlerts().name());
                assertThat(dead.get(0).getSourceOffset()).isZero();
                assertThat(broken.received()).hasSize(3);
                await().atMost(Duration.ofSeconds(10)).until(bed::everythingCommitted);
                String metrics = service.registry().scrape();
                assertThat(metrics).contains("chokepoint_alerts_dead_lettered_total{receiver=\"broken\"} 1.0");
                assertThat(metrics).contains("chokepoint_alerts_fallback_total{receiver=\"rejecting\"} 1.0");
            }
        }
    }

    @Test
    void an_unreadable_record_goes_to_the_dead_letter_topic_and_does_not_stop_delivery(DevCluster cluster) {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook hook = new FaultyWebhook()) {
            String yaml = """
                    route: {receiver: hook, group_by: ['...'], group_wait: 0s}
                    receivers:
                      - name: hook
                        webhook: {url: %s}
                    """.formatted(hook.url());
            try (AlertsService service = bed.startDispatcher(yaml)) {
                bed.produceGarbage("850511", "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                bed.produce(Alerts.firing("after-poison", "850511", Severity.WARNING));

                await().atMost(Duration.ofSeconds(20)).until(() -> hook.acceptedCounts().containsKey("after-poison:firing"));
                await().atMost(Duration.ofSeconds(10)).until(bed::everythingCommitted);
                var dead = bed.deadLetters(bed.topics().deadLetters());
                assertThat(dead).hasSize(1);
                assertThat(dead.get(0).getStage().name()).isEqualTo("DESERIALIZATION");
                assertThat(new String(dead.get(0).getValue().array(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("not avro");
                assertThat(service.failure()).isEmpty();
            }
        }
    }

    static double metric(String scrape, String series) {
        Function<String, Double> value = line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return scrape.lines().filter(l -> l.startsWith(series + " ")).map(value).findFirst().orElse(0.0);
    }
}
