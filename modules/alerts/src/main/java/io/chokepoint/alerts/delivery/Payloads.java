package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON bodies receivers get. The webhook body follows Alertmanager's webhook payload
 * (version 4) so existing tooling adapts easily; Chokepoint's own fields sit under
 * {@code chokepoint} in each alert. The Slack body is an incoming-webhook message.
 */
public final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final String EXPLANATION = "explanation";

    private Payloads() {
    }

    public static byte[] webhook(Notification n, PayloadLinks links) {
        return bytes(webhookNode(n, links));
    }

    /**
     * Each alert appears once, in its latest state ({@link Notification#latestStates}); the
     * top-level {@code status} is {@code resolved} only when every alert in it is.
     */
    public static ObjectNode webhookNode(Notification n, PayloadLinks links) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "4");
        root.put("groupKey", n.groupKey());
        root.put("truncatedAlerts", 0);
        root.put("status", anyFiring(n) ? "firing" : "resolved");
        root.put("receiver", n.receiver());
        putMap(root.putObject("groupLabels"), n.groupLabels());
        putMap(root.putObject("commonLabels"), common(n.alerts().stream().map(PendingAlert::labels).toList()));
        // the explanation is the one text that is never common: it stays in each alert only
        Map<String, String> commonAnnotations = common(n.alerts().stream().map(p -> annotations(p.alert())).toList());
        commonAnnotations.remove(EXPLANATION);
        putMap(root.putObject("commonAnnotations"), commonAnnotations);
        root.put("externalURL", links.externalUrl());
        root.put("notificationId", n.id());
        root.put("repeat", n.repeat());
        ArrayNode alerts = root.putArray("alerts");
        for (PendingAlert p : n.alerts()) {
            DisruptionAlert a = p.alert();
            ObjectNode o = alerts.addObject();
            o.put("status", a.getState() == AlertState.RESOLVED ? "resolved" : "firing");
            putMap(o.putObject("labels"), p.labels());
            putMap(o.putObject("annotations"), annotations(a));
            o.put("startsAt", a.getEpisodeStart().toString());
            o.put("endsAt", a.getState() == AlertState.RESOLVED ? a.getEventAt().toString() : ZERO_TIME);
            o.put("generatorURL", links.generatorUrl(a.getHsCode()));
            o.put("fingerprint", a.getAlertId());
            o.put("idempotencyKey", p.key());
            // what labels, annotations, fingerprint and startsAt/endsAt do not already say
            ObjectNode c = o.putObject("chokepoint");
            c.put("metric", a.getMetric());
            c.put("observedValue", a.getObservedValue());
            c.put("threshold", a.getThreshold());
            c.put("windowStart", a.getWindowStart().toString());
            c.put("windowEnd", a.getWindowEnd().toString());
            c.put("eventAt", a.getEventAt().toString());
        }
        return root;
    }

    public static byte[] slack(Notification n, ReceiverSlackOptions options) {
        ObjectNode root = JSON.createObjectNode();
        options.channel().ifPresent(c -> root.put("channel", c));
        options.username().ifPresent(u -> root.put("username", u));
        long firing = n.alerts().stream().filter(p -> p.alert().getState() == AlertState.FIRING).count();
        long resolved = n.alerts().size() - firing;
        StringBuilder text = new StringBuilder();
        if (firing > 0) {
            text.append("[FIRING:").append(firing).append("] ");
        }
        if (resolved > 0) {
            text.append("[RESOLVED:").append(resolved).append("] ");
        }
        text.append(n.repeat() ? "(reminder) " : "");
        n.groupLabels().forEach((k, v) -> text.append(k).append('=').append(v).append(' '));
        root.put("text", text.toString().strip());
        ArrayNode attachments = root.putArray("attachments");
        for (PendingAlert p : n.alerts()) {
            DisruptionAlert a = p.alert();
            ObjectNode at = attachments.addObject();
            at.put("color", a.getState() == AlertState.RESOLVED ? "good" : a.getSeverity() == Severity.CRITICAL ? "danger" : "warning");
            at.put("fallback", a.getState() + " " + a.getRuleId() + " " + a.getHsCode());
            at.put("title", "[" + a.getState() + "] " + a.getSeverity() + " " + a.getRuleId() + " — " + a.getHsCode()
                    + (a.getCommodityName().isEmpty() ? "" : " " + a.getCommodityName()));
            at.put("text", a.getExplanation());
            ArrayNode fields = at.putArray("fields");
            field(fields, "Observed " + a.getMetric(), number(a.getObservedValue()));
            field(fields, "Threshold", number(a.getThreshold()));
            field(fields, "Commodity group", a.getCommodityGroup());
            field(fields, "Alert id", a.getAlertId());
            at.put("ts", a.getEventAt().getEpochSecond());
        }
        return bytes(root);
    }

    /** Slack's optional message fields. */
    public record ReceiverSlackOptions(java.util.Optional<String> channel, java.util.Optional<String> username) {
    }

    private static void field(ArrayNode fields, String title, String value) {
        ObjectNode f = fields.addObject();
        f.put("title", title);
        f.put("value", value);
        f.put("short", true);
    }

    /** A figure as people write it: integers without decimals, others to two places. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    static Map<String, String> annotations(DisruptionAlert a) {
        Map<String, String> out = new TreeMap<>();
        if (a.getAnnotations() != null) {
            a.getAnnotations().forEach((k, v) -> out.put(k.toString(), v == null ? "" : v.toString()));
        }
        out.putIfAbsent(EXPLANATION, a.getExplanation());
        return out;
    }

    private static boolean anyFiring(Notification n) {
        return n.alerts().stream().anyMatch(p -> p.alert().getState() == AlertState.FIRING);
    }

    private static Map<String, String> common(List<Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Map<String, String> common = new LinkedHashMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }

    private static void putMap(ObjectNode node, Map<String, String> map) {
        new TreeMap<>(map).forEach(node::put);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render payload", e);
        }
    }
}
