package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.grouping.PendingAlert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
                           List<PendingAlert> alerts, boolean repeat, long createdAt) {

    public static Notification of(String receiver, String groupKey, Map<String, String> groupLabels,
                                  List<PendingAlert> alerts, boolean repeat, long createdAt) {
        String id;
        if (repeat) {
            id = "r-" + sha256(groupKey + "\n" + createdAt);
        } else if (alerts.size() == 1) {
            id = alerts.get(0).key();
        } else {
            id = "g-" + sha256(groupKey + "\n" + String.join("\n", alerts.stream().map(PendingAlert::key).sorted().toList()));
        }
        return new Notification(id, receiver, groupKey, groupLabels, List.copyOf(alerts), repeat, createdAt);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
