package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.grouping.PendingAlert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one receiver gets at one time: some alert transitions of one group.
 *
 * @param id the {@code Idempotency-Key}: for a single transition its key ({@code alertId:firing} or
 *           {@code alertId:resolved}); for several, a hash of the group and the sorted transition keys;
 *           for a repeat reminder, a hash of the group and the reminder time
 */
public record Notification(String id, String receiver, String groupKey, Map<String, String> groupLabels,
                           List<PendingAlert> alerts, List<PendingAlert> superseded, boolean repeat, long createdAt) {

    /**
     * Alertmanager's rule: each alert once per notification, in its latest state. An episode that
     * fired and resolved within one batch is sent once, resolved; its FIRING is {@link #superseded}:
     * accounted for (progress, offsets) with this notification but not in its payload.
     */
    public static Notification latestStates(String receiver, String groupKey, Map<String, String> groupLabels,
                                            List<PendingAlert> transitions, boolean repeat, long createdAt) {
        Map<String, PendingAlert> latest = new LinkedHashMap<>();
        List<PendingAlert> superseded = new ArrayList<>();
        for (PendingAlert p : transitions) {
            PendingAlert earlier = latest.remove(p.alert().getAlertId());
            if (earlier != null) {
                superseded.add(earlier);
            }
            latest.put(p.alert().getAlertId(), p);
        }
        return of(receiver, groupKey, groupLabels, List.copyOf(latest.values()), superseded, repeat, createdAt);
    }

    public static Notification of(String receiver, String groupKey, Map<String, String> groupLabels,
                                  List<PendingAlert> alerts, boolean repeat, long createdAt) {
        return of(receiver, groupKey, groupLabels, alerts, List.of(), repeat, createdAt);
    }

    private static Notification of(String receiver, String groupKey, Map<String, String> groupLabels,
                                   List<PendingAlert> alerts, List<PendingAlert> superseded, boolean repeat, long createdAt) {
        String id;
        if (repeat) {
            id = "r-" + sha256(groupKey + "\n" + createdAt);
        } else if (alerts.size() == 1) {
            id = alerts.get(0).key();
        } else {
            id = "g-" + sha256(groupKey + "\n" + String.join("\n", alerts.stream().map(PendingAlert::key).sorted().toList()));
        }
        return new Notification(id, receiver, groupKey, groupLabels, List.copyOf(alerts), List.copyOf(superseded), repeat, createdAt);
    }

    /** The transitions this notification accounts for: those it sends and those their later state superseded. */
    public List<PendingAlert> accounted() {
        if (superseded.isEmpty()) {
            return alerts;
        }
        List<PendingAlert> all = new ArrayList<>(superseded);
        all.addAll(alerts);
        return all;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The same notification addressed to another receiver (the fallback). */
    public Notification forReceiver(String other) {
        return new Notification(id, other, groupKey, groupLabels, alerts, superseded, repeat, createdAt);
    }
}
