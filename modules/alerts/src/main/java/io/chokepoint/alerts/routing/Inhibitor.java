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

    private List<InhibitRule> rules;
    private final Map<String, Map<String, String>> firing = new LinkedHashMap<>();

    public Inhibitor(List<InhibitRule> rules) {
        this.rules = rules;
    }

    /** The rules of a reloaded routing file; the firing set observed so far still counts. */
    public void replaceRules(List<InhibitRule> rules) {
        this.rules = rules;
    }

    /** Track the firing set (even without rules, so rules a reload adds see what already fires): FIRING adds, RESOLVED removes. */
    public void observe(DisruptionAlert alert, Map<String, String> labels) {
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
