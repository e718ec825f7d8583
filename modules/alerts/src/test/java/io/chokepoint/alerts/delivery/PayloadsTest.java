package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
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

    /** What the default rare-earth rule emits during the stall (annotations as rendered by the rules module). */
    static DisruptionAlert stallAlert() {
        String explanation = "p95DelayHours = 126.83 > 72 (fire threshold, held for 6h since 2025-04-16T14:00Z) for Permanent magnets"
                + " of metal (NdFeB, SmCo) (850511) in window 2025-04-15T20:00Z – 2025-04-16T20:00Z (final, 36 observations); policy:"
                + " tariff 145 % (last change +125 points at 2025-04-09T13:00Z), licences 0 of 5 approved (0 %), 7 pending, last"
                + " approval 12 days before the window end; latest policy event: 5 licence decisions (0 approved) between"
                + " 2025-04-15T20:00Z and 2025-04-16T20:00Z; top routes: CN-US, CN-DE.";
        return DisruptionAlert.newBuilder(Alerts.alert("5f0c2a9e-8d3b-3c8e-9a51-6d0f1e2b7c44", "rare-earth-magnet-delay-p95", "850511",
                        "permanent-magnets", AlertState.FIRING, Severity.CRITICAL,
                        Map.of("alertname", "rare-earth-magnet-delay-p95", "hs_code", "850511", "commodity", "Permanent magnets of metal (NdFeB, SmCo)",
                                "commodity_group", "permanent-magnets", "severity", "CRITICAL", "team", "supply-chain",
                                "story", "rare-earth-export-controls")))
                .setCommodityName("Permanent magnets of metal (NdFeB, SmCo)")
                .setExplanation(explanation)
                .setAnnotations(Map.of(
                        "summary", "Permanent magnets of metal (NdFeB, SmCo) (850511): p95 delay 126.83 h above 72 h",
                        "description", "Shipments of rare-earth metals, compounds and permanent magnets are running late: the"
                                + " 95th-percentile delay over the stats window is above three days.",
                        "runbook", "Find the affected purchase orders (the top routes name the lanes), ask the suppliers whether Chinese"
                                + " export licences for these shipments are pending or denied, and warn the plants that depend on them"
                                + " with the expected delay (the p95 in this alert). Check buffer stock for the commodity, switch open"
                                + " orders to non-Chinese sources where qualified, and hold back new orders on the lane until approvals"
                                + " come through."))
                .build();
    }

    static Notification single(DisruptionAlert a) {
        PendingAlert p = new PendingAlert(a, AlertLabels.of(a), Set.of("pager"), null);
        return Notification.of("pager", "{route=0}:{hs_code=\"850511\"}", Map.of("hs_code", "850511"), List.of(p), false, 0);
    }

    @Test
    void a_firing_says_each_fact_once_with_snake_case_labels() throws Exception {
        DisruptionAlert a = stallAlert();
        byte[] body = Payloads.webhook(single(a));
        String text = new String(body, StandardCharsets.UTF_8);
        System.out.println("webhook body of one FIRING of the default rare-earth rule: " + body.length + " bytes");
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body)));

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
