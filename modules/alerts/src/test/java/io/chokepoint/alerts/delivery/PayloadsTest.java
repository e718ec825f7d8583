package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.support.StallAlert;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A webhook body says each fact once, with one spelling per label. */
class PayloadsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final PayloadLinks LINKS = new PayloadLinks("http://chokepoint-alerts:9096/", "http://chokepoint:9095");

    static Notification single(DisruptionAlert a) {
        PendingAlert p = new PendingAlert(a, AlertLabels.of(a), Set.of("pager"), null);
        return Notification.of("pager", "{route=0}:{hs_code=\"850511\"}", Map.of("hs_code", "850511"), List.of(p), false, 0);
    }

    @Test
    void a_firing_says_each_fact_once_with_snake_case_labels() throws Exception {
        DisruptionAlert a = StallAlert.firing();
        byte[] body = Payloads.webhook(single(a), LINKS);
        String text = new String(body, StandardCharsets.UTF_8);

        assertThat(occurrences(text, a.getExplanation())).as("the explanation once").isEqualTo(1);
        assertThat(occurrences(text, "Find the affected purchase orders")).as("in the alert, and in Alertmanager's commonAnnotations, which webhook adapters read")
                .isEqualTo(2);
        JsonNode alert = JSON.readTree(body).path("alerts").path(0);
        List<String> labelNames = new ArrayList<>();
        alert.path("labels").fieldNames().forEachRemaining(labelNames::add);
        assertThat(labelNames).containsExactly("alertname", "commodity", "commodity_group", "hs_code", "severity", "story", "team");
        assertThat(text).doesNotContain("hsCode").doesNotContain("ruleId").doesNotContain("commodityGroup").doesNotContain("\"rule\"")
                .doesNotContain("example.com");
        assertThat(alert.path("annotations").path("description").asText()).startsWith("Shipments of rare-earth metals");
        assertThat(alert.path("annotations").path("explanation").asText()).isEqualTo(a.getExplanation());
        List<String> chokepoint = new ArrayList<>();
        alert.path("chokepoint").fieldNames().forEachRemaining(chokepoint::add);
        assertThat(chokepoint).containsExactly("metric", "observedValue", "threshold", "windowStart", "windowEnd", "eventAt");
        assertThat(alert.path("fingerprint").asText()).isEqualTo(a.getAlertId());
        assertThat(JSON.readTree(body).path("commonAnnotations").has("explanation")).isFalse();
    }

    @Test
    void links_point_at_this_process_and_at_the_commodity_page_of_the_dashboard() throws Exception {
        JsonNode root = JSON.readTree(Payloads.webhook(single(StallAlert.firing()), LINKS));
        assertThat(root.path("externalURL").asText()).isEqualTo("http://chokepoint-alerts:9096");
        assertThat(root.path("alerts").path(0).path("generatorURL").asText()).isEqualTo("http://chokepoint:9095/#/commodity/850511");
    }

    @Test
    void an_episode_that_fired_and_resolved_within_one_batch_is_sent_once_resolved() throws Exception {
        DisruptionAlert firing = StallAlert.firing();
        DisruptionAlert resolved = DisruptionAlert.newBuilder(firing).setState(AlertState.RESOLVED).build();
        DisruptionAlert other = DisruptionAlert.newBuilder(firing).setAlertId("other-episode").build();
        PendingAlert f = pending(firing);
        PendingAlert r = pending(resolved);
        Notification n = Notification.latestStates("pager", "g", Map.of(), List.of(f, r), false, 0);

        JsonNode root = JSON.readTree(Payloads.webhook(n, LINKS));
        assertThat(root.path("alerts")).hasSize(1);
        assertThat(root.path("alerts").path(0).path("status").asText()).isEqualTo("resolved");
        assertThat(root.path("status").asText()).as("every alert in it resolved").isEqualTo("resolved");
        assertThat(n.accounted()).as("the superseded FIRING is still accounted for").containsExactly(f, r);
        assertThat(n.id()).isEqualTo(r.key());

        JsonNode mixed = JSON.readTree(Payloads.webhook(Notification.latestStates("pager", "g", Map.of(),
                List.of(f, pending(other), r), false, 0), LINKS));
        assertThat(mixed.path("alerts")).hasSize(2);
        assertThat(mixed.path("status").asText()).as("one alert still firing").isEqualTo("firing");
        assertThat(mixed.path("alerts").findValuesAsText("fingerprint")).containsExactly("other-episode", firing.getAlertId());
        assertThat(mixed.path("alerts").path(0).path("labels")).as("one label set across FIRING and RESOLVED")
                .isEqualTo(mixed.path("alerts").path(1).path("labels"));
    }

    static PendingAlert pending(DisruptionAlert a) {
        return new PendingAlert(a, AlertLabels.of(a), Set.of("pager"), null);
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
