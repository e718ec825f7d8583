package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.support.StallAlert;
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

    static Notification single(DisruptionAlert a) {
        PendingAlert p = new PendingAlert(a, AlertLabels.of(a), Set.of("pager"), null);
        return Notification.of("pager", "{route=0}:{hs_code=\"850511\"}", Map.of("hs_code", "850511"), List.of(p), false, 0);
    }

    @Test
    void a_firing_says_each_fact_once_with_snake_case_labels() throws Exception {
        DisruptionAlert a = StallAlert.firing();
        byte[] body = Payloads.webhook(single(a));
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

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
