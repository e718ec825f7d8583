package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertLabels;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager-style matcher: {@code name=value}, {@code name!=value}, {@code name=~regex},
 * {@code name!~regex} (regexes are anchored). The pseudo-label {@code hs_prefix} matches the start
 * of the HS code: {@code hs_prefix=8505} matches 850511 and 850519.
 */
public record LabelMatcher(String name, Operator operator, String value, Pattern pattern) {

    public static final String HS_PREFIX = "hs_prefix";

    private static final Pattern SYNTAX = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*$");

    public enum Operator {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Operator of(String symbol) {
            for (Operator o : values()) {
                if (o.symbol.equals(symbol)) {
                    return o;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** Parses {@code severity="CRITICAL"}; throws IllegalArgumentException with the reason. */
    public static LabelMatcher parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a matcher such as severity=CRITICAL, hs_prefix=8505 or commodity_group=~\"rare-.*\"");
        }
        String value = unquote(m.group(3));
        Operator op = Operator.of(m.group(2));
        Pattern pattern = null;
        if (op == Operator.REGEX || op == Operator.NOT_REGEX) {
            try {
                pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' has an invalid regular expression: " + e.getDescription());
            }
        }
        return new LabelMatcher(m.group(1), op, value, pattern);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    public boolean matches(Map<String, String> labels) {
        if (HS_PREFIX.equals(name)) {
            String hs = labels.getOrDefault(AlertLabels.HS_CODE, "");
            boolean prefixed = hs.startsWith(value.replace(".", ""));
            return switch (operator) {
                case EQUAL -> prefixed;
                case NOT_EQUAL -> !prefixed;
                case REGEX -> pattern.matcher(hs).lookingAt();
                case NOT_REGEX -> !pattern.matcher(hs).lookingAt();
            };
        }
        String actual = labels.getOrDefault(name, "");
        return switch (operator) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case REGEX -> pattern.matcher(actual).matches();
            case NOT_REGEX -> !pattern.matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        return name + operator.symbol + "\"" + value + "\"";
    }
}
