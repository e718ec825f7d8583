package io.chokepoint.rules.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label or annotation text with placeholders in Go-template spelling, as Prometheus users
 * write them: {@code {{ .value }}} or {@code {{ $value }}}, {@code {{ .labels.team }}},
 * {@code {{ .stats.customsHolds }}}. Placeholders are checked when the rule is loaded, so a typo
 * fails at load time naming the field, not at three in the morning in an empty alert.
 */
public final class AnnotationTemplate {

    /** Every placeholder a template may use; see README.md, "Alert rules", for their meaning. */
    public static final Set<String> PLACEHOLDERS = Set.of(
            "value", "threshold", "fire", "resolve", "comparison", "metric", "rule", "severity", "state",
            "commodity", "hsCode", "group", "windowStart", "windowEnd", "episodeStart",
            "tariff", "tariffChange", "tariffChangedAt", "approvalRate", "licencesApproved", "licencesDecided",
            "topRoutes", "explanation", "versus", "baseline", "spread", "shift", "changeSince");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern NAME = Pattern.compile("[.$]([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?");

    private final String text;
    private final List<Part> parts;

    private sealed interface Part permits Literal, Placeholder {
    }

    private record Literal(String text) implements Part {
    }

    private record Placeholder(String name, String member) implements Part {
    }

    private AnnotationTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses a template; the exception message says which placeholder is wrong and what is allowed. */
    public static AnnotationTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(new Literal(text.substring(last, m.start())));
            }
            parts.add(placeholder(m.group(1)));
            last = m.end();
        }
        if (last < text.length()) {
            String rest = text.substring(last);
            if (rest.contains("{{")) {
                throw new IllegalArgumentException("unclosed placeholder '" + rest.substring(rest.indexOf("{{")) + "'");
            }
            parts.add(new Literal(rest));
        }
        return new AnnotationTemplate(text, List.copyOf(parts));
    }

    private static Placeholder placeholder(String expression) {
        Matcher n = NAME.matcher(expression);
        if (!n.matches()) {
            throw new IllegalArgumentException("placeholder '{{ " + expression + " }}' is not of the form {{ .name }}");
        }
        String name = n.group(1);
        String member = n.group(2);
        if (name.equals("labels") || name.equals("stats")) {
            if (member == null) {
                throw new IllegalArgumentException("placeholder '{{ " + expression + " }}' needs a member, e.g. {{ ." + name
                        + (name.equals("labels") ? ".team" : ".customsHolds") + " }}");
            }
            if (name.equals("stats") && Metric.named(member).isEmpty() && !member.equals("topRoutes")) {
                throw new IllegalArgumentException("placeholder '{{ " + expression + " }}': no numeric stats field '" + member
                        + "' (known: " + String.join(", ", Metric.names()) + ")");
            }
            return new Placeholder(name, member);
        }
        if (member != null || !PLACEHOLDERS.contains(name)) {
            throw new IllegalArgumentException("unknown placeholder '{{ " + expression + " }}' (known: "
                    + String.join(", ", PLACEHOLDERS.stream().sorted().toList()) + ", labels.NAME, stats.FIELD)");
        }
        return new Placeholder(name, null);
    }

    /**
     * Renders with the given values. {@code lookup} answers plain names, {@code labels} the
     * {@code labels.NAME} members and {@code stats} the {@code stats.FIELD} members; a missing
     * value renders as an empty string.
     */
    public String render(Function<String, String> lookup, Map<String, String> labels, Function<String, String> stats) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else if (part instanceof Placeholder p) {
                String value = switch (p.name()) {
                    case "labels" -> labels.get(p.member());
                    case "stats" -> stats.apply(p.member());
                    default -> lookup.apply(p.name());
                };
                out.append(value == null ? "" : value);
            }
        }
        return out.toString();
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnotationTemplate t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
