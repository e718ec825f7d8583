package io.chokepoint.alerts;

import io.chokepoint.events.avro.DisruptionAlert;

import java.util.Map;
import java.util.TreeMap;

/**
 * The labels routing, grouping, inhibition, silences and payloads see, one spelling per fact
 * (Prometheus style, snake_case): the alert's own labels plus its identity under fixed names.
 * The fixed names win over a rule label of the same name so a rule cannot disguise an alert's
 * severity or commodity. The state is not a label (it is each payload's {@code status}), nor is
 * the alert id (the payload's {@code fingerprint}).
 */
public final class AlertLabels {

    public static final String ALERT_NAME = "alertname";
    public static final String SEVERITY = "severity";
    public static final String HS_CODE = "hs_code";
    public static final String COMMODITY_GROUP = "commodity_group";
    public static final String COMMODITY = "commodity";

    /** Spellings used before labels were unified, with the label that replaced them. */
    public static final Map<String, String> RENAMED = Map.of(
            "hsCode", HS_CODE, "commodityGroup", COMMODITY_GROUP, "ruleId", ALERT_NAME);
    /** A former label that is a payload field now. */
    public static final Map<String, String> NO_LONGER_LABELS = Map.of(
            "alertId", "the alert id is the payload's fingerprint; group_by ['...'] already gives every alert its own group");

    private AlertLabels() {
    }

    public static Map<String, String> of(DisruptionAlert alert) {
        Map<String, String> labels = new TreeMap<>();
        if (alert.getLabels() != null) {
            alert.getLabels().forEach((k, v) -> labels.put(k.toString(), v == null ? "" : v.toString()));
        }
        labels.put(ALERT_NAME, alert.getRuleId());
        labels.put(SEVERITY, alert.getSeverity().name());
        labels.put(HS_CODE, alert.getHsCode());
        labels.put(COMMODITY_GROUP, alert.getCommodityGroup() == null ? "" : alert.getCommodityGroup());
        labels.put(COMMODITY, alert.getCommodityName() == null ? "" : alert.getCommodityName());
        return labels;
    }

    /**
     * The key of one transition: the alert id is shared by the FIRING and RESOLVED of an episode,
     * so the state is part of what a receiver dedupes by.
     */
    public static String transitionKey(DisruptionAlert alert) {
        return alert.getAlertId() + ":" + alert.getState().name().toLowerCase(java.util.Locale.ROOT);
    }
}
