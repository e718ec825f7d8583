package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.AlertState;

/**
 * A notification-worthy change: the episode entered FIRING or left it (RESOLVED).
 *
 * @param reason why a RESOLVED happened other than the value recovering (rule deleted, no data …), or null
 */
public record Transition(
        AlertState state,
        String alertId,
        long episodeStart,
        double value,
        double threshold,
        long at,
        String reason) {
}
