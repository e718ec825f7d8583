package io.chokepoint.rules.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Alert ids are name-based UUIDs of rule, commodity and episode start: the same episode gets the
 * same id after a restart, a replay or on another instance, so every sink can deduplicate, and the
 * RESOLVED of an episode carries the id of its FIRING.
 */
public final class AlertIds {

    private AlertIds() {
    }

    public static String of(String ruleId, String hsCode, long episodeStartMs) {
        return UUID.nameUUIDFromBytes((ruleId + "|" + hsCode + "|" + episodeStartMs).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
