package io.chokepoint.rules.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How numbers and times appear in explanations and annotations: short, exact enough, UTC. */
final class Numbers {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    private Numbers() {
    }

    /** At most two decimals, no trailing zeros: 96, 96.5, 0.33. */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String signed(double v) {
        return (v > 0 ? "+" : "") + format(v);
    }

    static String percentOfRate(double rate) {
        return format(rate * 100) + " %";
    }

    static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }
}
