package io.chokepoint.producers.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value that changes over story time, given as points ({@code 2025-04-04: 0}, {@code 2025-04-25: 1})
 * and linearly interpolated between them; before the first point the first value holds, after the
 * last the last. This is how a scenario says "holds build up over three weeks from April 4".
 */
final class Profile {

    private final long[] times;
    private final double[] values;

    private Profile(long[] times, double[] values) {
        this.times = times;
        this.values = values;
    }

    static Profile constant(double value) {
        return new Profile(new long[] {0}, new double[] {value});
    }

    static Profile of(String where, Map<String, Double> points, double min, double max) {
        if (points == null || points.isEmpty()) {
            throw new ScenarioException(where + ": at least one point (date: value) is required");
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>(points.entrySet());
        long[] t = new long[entries.size()];
        double[] v = new double[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String key = entries.get(i).getKey();
            Double value = entries.get(i).getValue();
            t[i] = StoryTime.parse(where, key).toEpochMilli();
            if (i > 0 && t[i] <= t[i - 1]) {
                throw new ScenarioException(where + ": dates must increase, " + key + " comes after " + entries.get(i - 1).getKey());
            }
            if (value == null || value < min || value > max) {
                throw new ScenarioException(where + ": the value at " + key + " must be between " + min + " and " + max
                        + ", got " + value);
            }
            v[i] = value;
        }
        return new Profile(t, v);
    }

    double at(Instant instant) {
        return at(instant.toEpochMilli());
    }

    double at(long epochMs) {
        if (epochMs <= times[0]) {
            return values[0];
        }
        for (int i = 1; i < times.length; i++) {
            if (epochMs <= times[i]) {
                double f = (double) (epochMs - times[i - 1]) / (times[i] - times[i - 1]);
                return values[i - 1] + f * (values[i] - values[i - 1]);
            }
        }
        return values[values.length - 1];
    }
}
