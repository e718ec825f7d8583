package io.chokepoint.rules.evaluation;

import io.chokepoint.rules.model.ChangeDetection;
import io.chokepoint.rules.model.ChangeDetection.Direction;

import java.util.Optional;

/**
 * The online change-point detector of a {@code kind: change} rule, as a pure function of (state,
 * settings, value, time), so every edge is testable without Kafka.
 *
 * <p>Per sample slot of event time the first value seen is the observation; later values of the
 * same slot are ignored, so the detector sees the same series whether the live view updates after
 * every fact (a backtest) or once a second (a cluster). Each observation is standardised against
 * the commodity's own baseline, {@code z = (x − median) / max(1.4826 × MAD, min_spread)} (median
 * and MAD estimated again once per day of event time: the baseline spans two weeks), clipped
 * to ±{@value ChangeDetection#CLIP}, and feeds:
 * <ul>
 *   <li>a two-sided CUSUM counting evidence above the reference {@code k} in spread × days (an
 *       observation adds {@code (z − k)} times the days since the previous one, at least one
 *       sample and at most a day: hourly, {@code (z − k) / 24}), capped at twice its decision
 *       interval so a long episode ends soon after the metric returns;</li>
 *   <li>an EWMA of {@code z} with a two-day memory, weighted the same way, for smaller shifts
 *       that persist.</li>
 * </ul>
 * Weighting by elapsed event time keeps the detector's meaning when the live view comes less
 * often than once per sample (a demo at a story day per second sees one every six story hours).
 * Consecutive observations of a 24 h window share most of their facts; counting evidence per day
 * instead of per observation keeps one late fact from counting 24 times. Only observations within
 * 4 spreads of the median, taken while the score is below one half, join the baseline, so a shift
 * is not learned as normal while it builds up or alerts.
 */
public final class ChangeDetector {

    private static final double MAD_TO_SD = 1.4826;
    /** Observations this many spreads off never join the baseline: an outlier, or the first hours of a shift. */
    private static final double OUTLIER = 4;
    private static final long DAY = 86_400_000L;
    /** Observations the baseline needs at least, however long the warm-up lasted. */
    private static final int MIN_BASELINE = 24;
    /** After a gap, one observation counts for at most a day of evidence. */
    private static final java.time.Duration MAX_WEIGHT = java.time.Duration.ofDays(1);

    private ChangeDetector() {
    }

    /** Identity of the settings a state was learned under. */
    public static String settingsOf(String metric, ChangeDetection c) {
        return metric + "|" + c.direction().word() + "|" + c.sample().toMillis() + "|" + c.baseline().toMillis() + "|"
                + c.warmUp().toMillis() + "|" + c.minSpread() + "|" + c.sensitivity().word();
    }

    /** The slot of an event time: observations are taken once per slot. */
    public static long slotOf(ChangeDetection c, long at) {
        return Math.floorDiv(at, c.sample().toMillis());
    }

    /**
     * The state after observing {@code value} at {@code at}, or empty when the slot of {@code at}
     * was already observed (or is older than the newest observed one).
     */
    public static Optional<DetectorState> observe(ChangeDetection c, String settings, DetectorState state, double value, long at) {
        long slot = slotOf(c, at);
        if (state != null && !state.settings().equals(settings)) {
            state = null; // the rule's detector settings changed: what was learned meant something else
        }
        if (state != null && slot <= state.slot()) {
            return Optional.empty();
        }
        double[] baseline = state == null ? new double[0] : state.baseline();
        long learningSince = state == null ? at : state.learningSince();
        if (at - learningSince < c.warmUp().toMillis() || baseline.length < MIN_BASELINE) {
            return Optional.of(new DetectorState(settings, slot, learningSince, append(baseline, value, c.baselineCapacity()), 0, 0, -1, -1,
                    0, at, at, value, 0, 0, -1, 0));
        }
        double median = state.median();
        double spread = state.spread();
        long baselineAt = state.baselineAt();
        if (state.warmingUp() || Math.floorDiv(at, DAY) != Math.floorDiv(baselineAt, DAY)) {
            median = median(baseline);
            spread = Math.max(MAD_TO_SD * mad(baseline, median), c.minSpread());
            baselineAt = at;
        }
        double z = Math.max(-ChangeDetection.CLIP, Math.min(ChangeDetection.CLIP, (value - median) / spread));
        double k = c.sensitivity().reference();
        double h = c.sensitivity().decisionInterval();
        // evidence is weighted by the event time the observation stands for, so a live view paced
        // every six story hours (a fast demo) accumulates as much per day as an hourly one
        long elapsed = Math.max(c.sample().toMillis(), Math.min(at - state.at(), MAX_WEIGHT.toMillis()));
        double days = elapsed / 86_400_000.0;
        double upper = Math.min(Math.max(0, state.upper() + (z - k) * days), 2 * h);
        double lower = Math.min(Math.max(0, state.lower() + (-z - k) * days), 2 * h);
        long upperSince = upper == 0 ? -1 : state.upper() == 0 ? at : state.upperSince();
        long lowerSince = lower == 0 ? -1 : state.lower() == 0 ? at : state.lowerSince();
        double w = 1 - Math.exp(-(double) elapsed / ChangeDetection.EWMA_MEMORY.toMillis());
        double ewma = w * z + (1 - w) * state.ewma();
        long ewmaSince = Math.signum(ewma) == Math.signum(state.ewma()) && state.ewmaSince() >= 0 ? state.ewmaSince() : at;
        double limit = c.sensitivity().ewmaLimit();
        double up = Math.max(upper / h, ewma / limit);
        double down = Math.max(lower / h, -ewma / limit);
        double score = switch (c.direction()) {
            case UP -> up;
            case DOWN -> down;
            case BOTH -> Math.max(up, down);
        };
        double[] next = score < 0.5 && Math.abs(z) <= OUTLIER ? append(baseline, value, c.baselineCapacity()) : baseline;
        return Optional.of(new DetectorState(settings, slot, learningSince, next, upper, lower, upperSince, lowerSince, ewma, ewmaSince, at, value,
                median, spread, baselineAt, Math.max(0, score)));
    }

    /** Which way the newest observation points: up when it lies above the baseline median. */
    public static Direction shiftOf(DetectorState s) {
        return s.value() >= s.median() ? Direction.UP : Direction.DOWN;
    }

    /**
     * The estimated change time: the start of the CUSUM run on the shift's side (the last time it
     * stood at zero), or, when only the EWMA has moved, the time the EWMA last changed sign.
     */
    public static long changeSince(DetectorState s) {
        long run = shiftOf(s) == Direction.UP ? s.upperSince() : s.lowerSince();
        return run >= 0 ? run : s.ewmaSince();
    }

    private static double[] append(double[] values, double value, int capacity) {
        int keep = Math.min(values.length, capacity - 1);
        double[] out = new double[keep + 1];
        System.arraycopy(values, values.length - keep, out, 0, keep);
        out[keep] = value;
        return out;
    }

    static double median(double[] values) {
        return medianInPlace(values.clone());
    }

    static double mad(double[] values, double median) {
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return medianInPlace(deviations);
    }

    /**
     * The median by selection, O(n) on average: sorting the baseline twice per observation was
     * most of the detector's cost. Reorders {@code a}.
     */
    private static double medianInPlace(double[] a) {
        int n = a.length;
        double upper = select(a, n / 2);
        if (n % 2 == 1) {
            return upper;
        }
        // after selecting n/2, everything left of it is at most a[n/2]: the lower middle is their maximum
        double lower = a[0];
        for (int i = 1; i < n / 2; i++) {
            lower = Math.max(lower, a[i]);
        }
        return (lower + upper) / 2;
    }

    /** Hoare's selection: the k-th smallest, leaving smaller values left of k and larger right of it. */
    private static double select(double[] a, int k) {
        int left = 0;
        int right = a.length - 1;
        while (left < right) {
            double pivot = a[(left + right) >>> 1];
            int i = left;
            int j = right;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                break;
            }
        }
        return a[k];
    }
}
