package io.chokepoint.rules.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a rule compares the observed metric with its thresholds. {@code >} and {@code >=} alert on
 * high values (delays, holds, tariffs), {@code <} and {@code <=} on low values (approval rates).
 */
public enum Comparison {
    GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public static Optional<Comparison> fromSymbol(String text) {
        String s = text == null ? "" : text.strip();
        return Arrays.stream(values()).filter(c -> c.symbol.equals(s)).findFirst();
    }

    /** Whether {@code value} is on the alerting side of {@code threshold}. */
    public boolean holds(double value, double threshold) {
        return switch (this) {
            case GREATER -> value > threshold;
            case GREATER_OR_EQUAL -> value >= threshold;
            case LESS -> value < threshold;
            case LESS_OR_EQUAL -> value <= threshold;
        };
    }

    /** True when alerting on high values. */
    public boolean alertsOnHigh() {
        return this == GREATER || this == GREATER_OR_EQUAL;
    }

    /**
     * A resolve threshold is on the right side when it lies on the non-alerting side of the fire
     * threshold (or equals it): for {@code >} it must be at most the fire threshold, for {@code <}
     * at least. Otherwise a firing alert could resolve while the fire condition still holds.
     */
    public boolean isValidResolve(double fire, double resolve) {
        return alertsOnHigh() ? resolve <= fire : resolve >= fire;
    }

    /** The symbol of the opposite comparison, for "value <= resolve" in explanations. */
    public String negatedSymbol() {
        return switch (this) {
            case GREATER -> "<=";
            case GREATER_OR_EQUAL -> "<";
            case LESS -> ">=";
            case LESS_OR_EQUAL -> ">";
        };
    }
}
