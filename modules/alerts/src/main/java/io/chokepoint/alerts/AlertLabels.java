package io.chokepoint.alerts;

import io.chokepoint.events.avro.DisruptionAlert;

import java.util.Map;
import java.util.TreeMap;

/**
 * The labels routing, grouping, inhibition and silences see: the alert's own labels plus its
 * identity fields under fixed names. The fixed names win over a rule label of the same name so a
 * rule cannot disguise an alert's severity or commodity.
 */
public final class AlertLabels {

    public static final String ALERT_NAME = "alertname";
    public static final String ALERT_ID = "alertId";
    public static final String RULE_ID = "ruleId";
    public static final String SEVERITY = "severity";
    public static final String STATE = "state";
    public static final String HS_CODE = "hsCode";
    public static final String COMMODITY_GROUP = "commodityGroup";
    public static final String COMMODITY = "commodity";

    private AlertLabels() {
    }

    public static Map<String, String> of(DisruptionAlert alert) {
        Map<String, String> labels = new TreeMap<>();
        if (alert.getLabels() != null) {
            alert.getLabels().forEach((k, v) -> labels.put(k.toString(), v == null ? "" : v.toString()));
        }
        labels.put(ALERT_NAME, alert.getRuleId());
        // the episode id, so that group_by ['...'] really gives every alert its own group
        labels.put(ALERT_ID, alert.getAlertId());
        labels.put(RULE_ID, alert.getRuleId());
        labels.put(SEVERITY, alert.getSeverity().name());
        labels.put(STATE, alert.getState().name());
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
