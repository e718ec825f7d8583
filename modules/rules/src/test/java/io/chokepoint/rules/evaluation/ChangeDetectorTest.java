package io.chokepoint.rules.evaluation;

import io.chokepoint.rules.model.ChangeDetection;
import io.chokepoint.rules.model.ChangeDetection.Direction;
import io.chokepoint.rules.model.ChangeDetection.Sensitivity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The detector on synthetic hourly series: a baseline of noise around 8 h (a p95 delay), then a
 * step, a ramp, a one-day spike, noise only and a weekly rhythm. Times are hours from the start.
 */
class ChangeDetectorTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = Instant.parse("2025-01-06T00:00:00Z").toEpochMilli(); // a Monday
    private static final ChangeDetection UP = new ChangeDetection(Direction.UP, Duration.ofHours(1), Duration.ofDays(14),
            Duration.ofDays(7), 4, Sensitivity.MEDIUM);
    private static final String SETTINGS = ChangeDetector.settingsOf("p95DelayHours", UP);

    /** Runs the series hour by hour; returns the states after each observation. */
    private static List<DetectorState> run(ChangeDetection c, int hours, IntToDoubleFunction value) {
        String settings = ChangeDetector.settingsOf("p95DelayHours", c);
        List<DetectorState> states = new ArrayList<>();
        DetectorState s = null;
        for (int h = 0; h < hours; h++) {
            s = ChangeDetector.observe(c, settings, s, value.applyAsDouble(h), T0 + h * HOUR).orElseThrow();
            states.add(s);
        }
        return states;
    }

    /** Hours from the start of the first observation whose score reaches 1, or -1. */
    private static int firstAlarm(List<DetectorState> states) {
        for (int h = 0; h < states.size(); h++) {
            if (states.get(h).score() >= ChangeDetection.FIRE_SCORE) {
                return h;
            }
        }
        return -1;
    }

    private static int alarms(List<DetectorState> states) {
        int alarms = 0;
        boolean firing = false;
        for (DetectorState s : states) {
            if (!firing && s.score() >= ChangeDetection.FIRE_SCORE) {
                alarms++;
                firing = true;
            } else if (firing && s.score() < ChangeDetection.RESOLVE_SCORE) {
                firing = false;
            }
        }
        return alarms;
    }

    /** Noise of a thin 24 h window: mostly ±3 h, now and then one late shipment for a day. */
    private static IntToDoubleFunction noise(long seed) {
        Random random = new Random(seed);
        double[] values = new double[24 * 400];
        double lateUntil = -1;
        double late = 0;
        for (int h = 0; h < values.length; h++) {
            if (h > lateUntil && random.nextDouble() < 1.0 / 72) {
                lateUntil = h + 24;
                late = 6 + random.nextDouble() * 10;
            }
            values[h] = 8 + random.nextGaussian() * 2 + (h <= lateUntil ? late : 0);
        }
        return h -> values[h];
    }

    @Test
    void no_score_while_the_baseline_is_learned() {
        List<DetectorState> states = run(UP, 7 * 24, h -> h < 100 ? 8 : 80);
        assertThat(states).allSatisfy(s -> {
            assertThat(s.warmingUp()).isTrue();
            assertThat(s.score()).isZero();
        });
        assertThat(states.get(states.size() - 1).baseline()).hasSize(7 * 24);
    }

    @Test
    void a_step_of_six_spreads_fires_within_a_day_and_dates_the_change() {
        int step = 10 * 24;
        List<DetectorState> states = run(UP, 14 * 24, h -> (h < step ? 8 : 32) + (h % 2 == 0 ? 1 : -1));
        int alarm = firstAlarm(states);
        assertThat(alarm).isBetween(step, step + 24);
        DetectorState fired = states.get(alarm);
        assertThat(fired.median()).isCloseTo(8, within(1.0));
        assertThat(fired.spread()).isEqualTo(4); // the MAD of ±1 is below min_spread
        assertThat(ChangeDetector.changeSince(fired)).isEqualTo(T0 + step * HOUR);
        assertThat(ChangeDetector.shiftOf(fired)).isEqualTo(Direction.UP);
    }

    @Test
    void a_ramp_fires_before_it_reaches_a_fixed_threshold_of_72_hours() {
        int start = 10 * 24;
        // +1 h of p95 per hour of story from day 10: a stall building up
        List<DetectorState> states = run(UP, 20 * 24, h -> 8 + Math.max(0, h - start) * 0.5 + (h % 3 - 1));
        int alarm = firstAlarm(states);
        double valueAtAlarm = 8 + (alarm - start) * 0.5;
        assertThat(alarm).isGreaterThan(start);
        assertThat(valueAtAlarm).as("p95 when the change alert fires").isLessThan(36);
        assertThat(ChangeDetector.changeSince(states.get(alarm))).isBetween(T0 + start * HOUR, T0 + (start + 24) * HOUR);
    }

    @Test
    void a_one_day_spike_of_a_late_shipment_does_not_fire() {
        int spike = 10 * 24;
        List<DetectorState> states = run(UP, 16 * 24, h -> h >= spike && h < spike + 24 ? 30 : 8 + (h % 2));
        assertThat(firstAlarm(states)).isEqualTo(-1);
    }

    @Test
    void noise_only_raises_no_alarm_in_a_year_of_hourly_observations() {
        int alarms = 0;
        for (long seed = 1; seed <= 5; seed++) {
            alarms += alarms(run(UP, 365 * 24, noise(seed)));
        }
        assertThat(alarms).as("alarms in 5 commodity-years of noise").isLessThanOrEqualTo(1);
    }

    @Test
    void a_weekly_rhythm_is_learned_as_normal() {
        // weekends: no departures, so the window's p95 rises by 6 h every Saturday and Sunday
        List<DetectorState> states = run(UP, 120 * 24, h -> 8 + ((h / 24) % 7 >= 5 ? 6 : 0) + (h % 5 - 2) * 0.5);
        assertThat(alarms(states)).isZero();
    }

    @Test
    void a_shift_down_fires_only_a_rule_that_watches_down() {
        ChangeDetection both = new ChangeDetection(Direction.BOTH, Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), 0.05,
                Sensitivity.MEDIUM);
        ChangeDetection down = new ChangeDetection(Direction.DOWN, Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), 0.05,
                Sensitivity.MEDIUM);
        ChangeDetection up = new ChangeDetection(Direction.UP, Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), 0.05,
                Sensitivity.MEDIUM);
        IntToDoubleFunction approvals = h -> (h < 10 * 24 ? 0.9 : 0.3) + (h % 2 == 0 ? 0.02 : -0.02); // an approval rate collapsing
        assertThat(firstAlarm(run(down, 14 * 24, approvals))).isBetween(10 * 24, 11 * 24);
        assertThat(firstAlarm(run(both, 14 * 24, approvals))).isBetween(10 * 24, 11 * 24);
        assertThat(firstAlarm(run(up, 14 * 24, approvals))).isEqualTo(-1);
        assertThat(ChangeDetector.shiftOf(run(down, 12 * 24, approvals).get(12 * 24 - 1))).isEqualTo(Direction.DOWN);
    }

    @Test
    void higher_sensitivity_fires_earlier_on_the_same_ramp() {
        IntToDoubleFunction ramp = h -> 8 + Math.max(0, h - 240) * 0.25 + (h % 3 - 1);
        int high = firstAlarm(run(withSensitivity(Sensitivity.HIGH), 20 * 24, ramp));
        int medium = firstAlarm(run(UP, 20 * 24, ramp));
        int low = firstAlarm(run(withSensitivity(Sensitivity.LOW), 20 * 24, ramp));
        assertThat(high).isPositive().isLessThan(medium);
        assertThat(medium).isLessThan(low);
    }

    @Test
    void a_live_view_every_six_hours_fires_about_when_an_hourly_one_does() {
        IntToDoubleFunction ramp = h -> 8 + Math.max(0, h - 240) * 0.5 + (h % 3 - 1);
        int hourly = firstAlarm(run(UP, 20 * 24, ramp));
        // a demo at a story day per second: a live view every six story hours
        DetectorState s = null;
        int sixHourly = -1;
        for (int h = 0; h < 20 * 24 && sixHourly < 0; h += 6) {
            s = ChangeDetector.observe(UP, SETTINGS, s, ramp.applyAsDouble(h), T0 + h * HOUR).orElseThrow();
            if (s.score() >= ChangeDetection.FIRE_SCORE) {
                sixHourly = h;
            }
        }
        assertThat(sixHourly).as("fires, though it sees a sixth of the observations").isPositive();
        assertThat(Math.abs(sixHourly - hourly)).as("hours apart").isLessThanOrEqualTo(12);
    }

    @Test
    void the_same_slot_is_observed_once_and_an_older_one_never() {
        DetectorState s = ChangeDetector.observe(UP, SETTINGS, null, 8, T0 + 10 * 60_000).orElseThrow();
        assertThat(ChangeDetector.observe(UP, SETTINGS, s, 80, T0 + 50 * 60_000)).isEmpty();
        assertThat(ChangeDetector.observe(UP, SETTINGS, s, 80, T0 - HOUR)).isEmpty();
        assertThat(ChangeDetector.observe(UP, SETTINGS, s, 9, T0 + HOUR)).isPresent();
    }

    @Test
    void other_settings_start_a_fresh_detector() {
        List<DetectorState> learned = run(UP, 8 * 24, h -> 8);
        DetectorState last = learned.get(learned.size() - 1);
        assertThat(last.warmingUp()).isFalse();
        ChangeDetection longer = new ChangeDetection(Direction.UP, Duration.ofHours(1), Duration.ofDays(28), Duration.ofDays(7), 4,
                Sensitivity.MEDIUM);
        DetectorState fresh = ChangeDetector.observe(longer, ChangeDetector.settingsOf("p95DelayHours", longer), last, 8,
                T0 + 9 * 24 * HOUR).orElseThrow();
        assertThat(fresh.warmingUp()).isTrue();
        assertThat(fresh.baseline()).hasSize(1);
    }

    @Test
    void the_baseline_keeps_its_capacity_and_leaves_out_the_shift() {
        int step = 20 * 24;
        List<DetectorState> states = run(UP, 25 * 24, h -> h < step ? 8 : 40);
        DetectorState before = states.get(step - 1);
        DetectorState after = states.get(states.size() - 1);
        assertThat(before.baseline()).hasSize(14 * 24);
        assertThat(java.util.Arrays.stream(after.baseline()).max().orElseThrow()).isLessThan(40);
        assertThat(after.score()).isGreaterThanOrEqualTo(ChangeDetection.FIRE_SCORE);
    }

    @Test
    void the_alert_resolves_within_days_after_the_metric_returns() {
        int up = 10 * 24;
        int back = 40 * 24;
        List<DetectorState> states = run(UP, 50 * 24, h -> (h >= up && h < back ? 60 : 8) + (h % 2));
        int resolvedAt = -1;
        for (int h = back; h < states.size(); h++) {
            if (states.get(h).score() < ChangeDetection.RESOLVE_SCORE) {
                resolvedAt = h;
                break;
            }
        }
        assertThat(resolvedAt).as("hours after the return").isBetween(back, back + 5 * 24);
    }

    @Test
    void the_state_reads_back_from_its_stored_bytes() {
        DetectorState s = run(UP, 9 * 24, h -> 8 + h % 5).get(9 * 24 - 1);
        DetectorState back = DetectorStateSerde.read(DetectorStateSerde.write(s));
        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(back.baseline()).containsExactly(s.baseline());
    }

    @Test
    void median_and_mad_match_a_sorted_computation() {
        Random random = new Random(3);
        for (int n = 1; n <= 400; n += 7) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(5) == 0 ? 8 : random.nextGaussian() * 10; // ties as well
            }
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            assertThat(ChangeDetector.median(values)).as("n=" + n).isEqualTo(median);
            double[] deviations = java.util.Arrays.stream(values).map(v -> Math.abs(v - median)).sorted().toArray();
            double mad = n % 2 == 1 ? deviations[n / 2] : (deviations[n / 2 - 1] + deviations[n / 2]) / 2;
            assertThat(ChangeDetector.mad(values, median)).as("n=" + n).isEqualTo(mad);
        }
    }

    private static ChangeDetection withSensitivity(Sensitivity s) {
        return new ChangeDetection(Direction.UP, Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), 4, s);
    }
}
