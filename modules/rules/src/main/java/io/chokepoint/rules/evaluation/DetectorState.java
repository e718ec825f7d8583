package io.chokepoint.rules.evaluation;

/**
 * What a change rule's detector remembers per commodity between observations (store
 * {@code rule-detectors}, key {@code hsCode|ruleId}, changelogged, so a restarted instance goes on
 * where the failed one stopped). Written once per observation, i.e. once per {@code sample} of
 * event time, never per stats record.
 *
 * @param settings    the rule's metric and detector settings the state was learned under; other
 *                    settings start a fresh detector
 * @param slot        index of the newest observed sample slot ({@code eventTime / sample})
 * @param learningSince event time of the first observation under these settings (warm-up is
 *                    counted from it)
 * @param baseline    in-control observations, oldest first, at most the baseline's capacity
 * @param upper       upward CUSUM, in spread × days above the reference
 * @param lower       downward CUSUM
 * @param upperSince  event time of the first observation of the upward CUSUM's current run, or -1
 * @param lowerSince  the same for the downward CUSUM
 * @param ewma        EWMA of the standardised observations, in spreads
 * @param ewmaSince   event time the EWMA last changed sign
 * @param at          event time of the newest observation
 * @param value       the metric's value at the newest observation
 * @param median      baseline median used for the newest observation (0 while warming up)
 * @param spread      robust spread used for the newest observation (1.4826 × MAD, at least
 *                    min_spread; 0 while warming up)
 * @param baselineAt  event time median and spread were last estimated (once per day of event time:
 *                    the baseline spans two weeks, an hour more or less does not move it)
 * @param score       the newest score: the larger of CUSUM / decision interval and EWMA / limit on
 *                    the rule's side; 1 fires, {@link io.chokepoint.rules.model.ChangeDetection#RESOLVE_SCORE} resolves
 */
public record DetectorState(
        String settings,
        long slot,
        long learningSince,
        double[] baseline,
        double upper,
        double lower,
        long upperSince,
        long lowerSince,
        double ewma,
        long ewmaSince,
        long at,
        double value,
        double median,
        double spread,
        long baselineAt,
        double score) {

    /** Whether the baseline is still being learned (no score yet). */
    public boolean warmingUp() {
        return spread == 0;
    }
}
