package io.chokepoint.rules.model;

import java.time.Duration;

/**
 * How long a condition must persist: either a duration of event time ({@code for: 6h}) or a number
 * of consecutive evaluations ({@code for: 3 evaluations}). Used for {@code for} (condition holds
 * before firing) and {@code keep_firing_for} (condition cleared before resolving).
 */
public record Hold(Duration duration, int evaluations) {

    public static final Hold NONE = new Hold(Duration.ZERO, 0);

    public static Hold ofDuration(Duration duration) {
        return new Hold(duration, 0);
    }

    public static Hold ofEvaluations(int evaluations) {
        return new Hold(Duration.ZERO, evaluations);
    }

    public boolean isNone() {
        return duration.isZero() && evaluations == 0;
    }

    public boolean countsEvaluations() {
        return evaluations > 0;
    }

    /**
     * For {@code for}: has the condition held long enough, given it first held at {@code sinceMs}
     * and has now held on {@code count} consecutive evaluations (including this one)?
     */
    public boolean reachedBy(long sinceMs, long nowMs, int count) {
        if (countsEvaluations()) {
            return count >= evaluations;
        }
        return nowMs - sinceMs >= duration.toMillis();
    }

    /**
     * For {@code keep_firing_for}: is the grace over, given the condition first cleared at
     * {@code sinceMs} and has been clear on {@code count} consecutive evaluations (including this one)?
     * N evaluations are absorbed; the (N+1)th clear evaluation resolves.
     */
    public boolean exceededBy(long sinceMs, long nowMs, int count) {
        if (countsEvaluations()) {
            return count > evaluations;
        }
        return nowMs - sinceMs >= duration.toMillis();
    }

    @Override
    public String toString() {
        if (countsEvaluations()) {
            return evaluations + (evaluations == 1 ? " evaluation" : " evaluations");
        }
        return Durations.format(duration);
    }
}
