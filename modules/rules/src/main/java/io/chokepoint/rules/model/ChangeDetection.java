package io.chokepoint.rules.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How a {@code kind: change} rule looks for a shift in a commodity's metric: one observation per
 * {@code sample} of the commodity's event time, standardised against a baseline learned from the
 * commodity's own history (median and MAD of the in-control observations of the last
 * {@code baseline}), then watched by a two-sided CUSUM and an EWMA.
 *
 * @param direction   which shifts alert: up (delays growing), down, or both
 * @param sample      event time between two observations (one per slot, the first stats of the slot)
 * @param baseline    span of the in-control observations the baseline is learned from
 * @param warmUp      event time from the first observation before the first alert (no alert on too
 *                    little history; the baseline also needs at least 24 observations)
 * @param minSpread   floor of the robust spread, in the metric's unit: a commodity whose metric
 *                    barely moves would otherwise alert on a shift too small to matter
 * @param sensitivity CUSUM reference and decision interval and EWMA limit, as a preset
 */
public record ChangeDetection(
        Direction direction,
        Duration sample,
        Duration baseline,
        Duration warmUp,
        double minSpread,
        Sensitivity sensitivity) {

    /** Defaults of the optional fields: hourly observations, learn two weeks, alert after one, upward shifts. */
    public static final Direction DEFAULT_DIRECTION = Direction.UP;
    public static final Duration DEFAULT_SAMPLE = Duration.ofHours(1);
    public static final Duration DEFAULT_BASELINE = Duration.ofDays(14);
    public static final Duration DEFAULT_WARM_UP = Duration.ofDays(7);
    public static final Sensitivity DEFAULT_SENSITIVITY = Sensitivity.MEDIUM;

    /**
     * The EWMA's memory: an observation's weight halves in {@code ln 2 × 2 days}. Two days because a
     * stats window of 24 h holds each fact for a day: shorter memories re-count the same facts.
     */
    public static final Duration EWMA_MEMORY = Duration.ofDays(2);

    /** Standardised observations are clipped to ± this many spreads, so one absurd value cannot fire alone. */
    public static final double CLIP = 8;

    /** Score at which an alert fires: either statistic at its limit. */
    public static final double FIRE_SCORE = 1;

    /** A firing alert resolves once both statistics fell below this share of their limits. */
    public static final double RESOLVE_SCORE = 0.25;

    public enum Direction {
        UP, DOWN, BOTH;

        public static Optional<Direction> named(String text) {
            return ChangeDetection.named(Direction.class, text);
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The detector's limits, in robust spreads. The CUSUM counts evidence in spread × days above
     * the reference {@code k} (so its limit does not depend on {@code sample}); the EWMA fires when
     * its average exceeds {@code ewmaLimit} spreads. {@code MEDIUM} gave 0.5 false alarms per 100
     * commodity-months on the calm-2025 story and fired 63 h and more before the p95 threshold on
     * trade-war-2025 (README, "Change rules").
     */
    public enum Sensitivity {
        LOW(3, 4, 3.5), MEDIUM(2.5, 3, 3), HIGH(2, 2, 2.5);

        private final double reference;
        private final double decisionInterval;
        private final double ewmaLimit;

        Sensitivity(double reference, double decisionInterval, double ewmaLimit) {
            this.reference = reference;
            this.decisionInterval = decisionInterval;
            this.ewmaLimit = ewmaLimit;
        }

        /** CUSUM reference k: spreads a shift must exceed to count as evidence. */
        public double reference() {
            return reference;
        }

        /** CUSUM decision interval h, in spread × days of evidence. */
        public double decisionInterval() {
            return decisionInterval;
        }

        public double ewmaLimit() {
            return ewmaLimit;
        }

        public static Optional<Sensitivity> named(String text) {
            return ChangeDetection.named(Sensitivity.class, text);
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The constant a rule file spells in lower case, or empty. */
    private static <E extends Enum<E>> Optional<E> named(Class<E> type, String text) {
        try {
            return Optional.of(Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Observations the baseline holds at most. */
    public int baselineCapacity() {
        return (int) Math.max(1, baseline.toMillis() / sample.toMillis());
    }
}
