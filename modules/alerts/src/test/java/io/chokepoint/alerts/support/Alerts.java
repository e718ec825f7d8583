package io.chokepoint.alerts.support;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;

import java.time.Instant;
import java.util.Map;

/** Hand-made DisruptionAlert records, as the rules module will emit them. */
public final class Alerts {

    public static final Instant T0 = Instant.parse("2026-04-10T08:00:00Z");

    private Alerts() {
    }

    public static DisruptionAlert firing(String alertId, String hsCode, Severity severity) {
        return alert(alertId, "p95-delay-" + severity.name().toLowerCase(), hsCode, "rare-earth-magnets", AlertState.FIRING, severity, Map.of());
    }

    public static DisruptionAlert resolved(DisruptionAlert firing) {
        return DisruptionAlert.newBuilder(firing).setState(AlertState.RESOLVED).setEventAt(firing.getEventAt().plusSeconds(3600))
                .setThreshold(36).build();
    }

    public static DisruptionAlert alert(String alertId, String ruleId, String hsCode, String group, AlertState state,
                                        Severity severity, Map<String, String> labels) {
        return DisruptionAlert.newBuilder()
                .setAlertId(alertId)
                .setRuleId(ruleId)
                .setHsCode(hsCode)
                .setCommodityName(hsCode.startsWith("8505") ? "permanent magnets" : "commodity " + hsCode)
                .setCommodityGroup(group)
                .setState(state)
                .setSeverity(severity)
                .setMetric("p95DelayHours")
                .setObservedValue(72.5)
                .setThreshold(48)
                .setWindowStart(T0.minusSeconds(86_400))
                .setWindowEnd(T0)
                .setEpisodeStart(T0.minusSeconds(1800))
                .setEventAt(T0)
                .setExplanation("p95 delay 72.5 h > 48 h for " + hsCode + " after export-licence tightening")
                .setLabels(labels)
                .setAnnotations(Map.of("summary", "Delays building for " + hsCode))
                .build();
    }
}
