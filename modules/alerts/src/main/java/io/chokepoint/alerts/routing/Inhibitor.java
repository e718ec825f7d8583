package io.chokepoint.alerts.routing;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies inhibition rules against the alerts currently firing. Records are keyed by HS code, so
 * every alert of one commodity reaches the same dispatcher instance; inhibition is exact across
 * instances when the rule's {@code equal} includes {@code hsCode}.
 */
public final class Inhibitor {

    private final List<InhibitRule> rules;
    private final Map<String, Map<String, String>> firing = new LinkedHashMap<>();

    public Inhibitor(List<InhibitRule> rules) {
        this.rules = rules;
    }

    /** Track the firing set: FIRING adds, RESOLVED removes. */
    public void observe(DisruptionAlert alert, Map<String, String> labels) {
        if (rules.isEmpty()) {
            return;
        }
        if (alert.getState() == AlertState.FIRING) {
            firing.put(alert.getAlertId(), labels);
        } else {
            firing.remove(alert.getAlertId());
        }
    }

    public boolean inhibited(String alertId, Map<String, String> labels) {
        for (InhibitRule rule : rules) {
            if (!rule.isTarget(labels)) {
                continue;
            }
            for (Map.Entry<String, Map<String, String>> source : firing.entrySet()) {
                if (!source.getKey().equals(alertId) && rule.isSource(source.getValue())
                        && rule.sameEqualLabels(source.getValue(), labels)) {
                    return true;
                }
            }
        }
        return false;
    }
}
