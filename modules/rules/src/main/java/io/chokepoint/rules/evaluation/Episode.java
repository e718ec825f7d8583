package io.chokepoint.rules.evaluation;

/**
 * An alert episode: what the evaluator remembers per rule × commodity between evaluations. An inactive pair has no
 * state at all (nothing stored), so the store only holds pending and firing episodes.
 *
 * @param phase            PENDING or FIRING
 * @param episodeStart     event time the fire condition first held (start of pending); part of the alert id
 * @param holdCount        consecutive evaluations the fire condition has held (for {@code for: N evaluations})
 * @param firingSince      event time the alert entered FIRING, or -1
 * @param clearedSince     while FIRING: event time the value first crossed the resolve threshold, or -1
 * @param clearedCount     while FIRING: consecutive evaluations on the resolving side (for keep_firing_for)
 * @param lastEvaluatedAt  event time of the latest evaluation
 * @param lastValue        the metric's value at the latest evaluation
 * @param metric           the rule's metric when the episode started; a change of metric ends the episode
 * @param comparison       the rule's comparison symbol when the episode started
 * @param ruleFingerprint  the rule definition last applied, to notice rule changes between records
 * @param alertId          id of the episode's FIRING/RESOLVED pair (set when firing)
 */
public record Episode(
        Phase phase,
        long episodeStart,
        int holdCount,
        long firingSince,
        long clearedSince,
        int clearedCount,
        long lastEvaluatedAt,
        double lastValue,
        String metric,
        String comparison,
        String ruleFingerprint,
        String alertId) {

    public enum Phase { PENDING, FIRING }

    public boolean firing() {
        return phase == Phase.FIRING;
    }
}
