package io.chokepoint.rules.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a rule back in the rule-file format as one-line JSON (which is also YAML, so
 * {@link RuleParser} reads it back). This is the value {@code chokepoint rules apply} publishes to
 * the {@code alert-rules} topic, and the canonical text behind {@link Rule#fingerprint()}.
 */
public final class RuleDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleDocument() {
    }

    public static String toJson(Rule rule) {
        try {
            return JSON.writeValueAsString(toMap(rule));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> toMap(Rule rule) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", rule.id());
        if (!rule.description().isEmpty()) {
            doc.put("description", rule.description());
        }
        if (!rule.selector().isEmpty()) {
            Map<String, Object> select = new LinkedHashMap<>();
            if (!rule.selector().hsCodes().isEmpty()) {
                select.put("hs_codes", rule.selector().hsCodes().stream().sorted().toList());
            }
            if (!rule.selector().hsPrefixes().isEmpty()) {
                select.put("hs_prefixes", rule.selector().hsPrefixes());
            }
            if (!rule.selector().groups().isEmpty()) {
                select.put("groups", rule.selector().groups().stream().sorted().toList());
            }
            doc.put("select", select);
        }
        doc.put("metric", rule.metric().name());
        if (rule.change().isPresent()) {
            ChangeDetection c = rule.change().get();
            doc.put("kind", "change");
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("direction", c.direction().word());
            change.put("sample", Durations.format(c.sample()));
            change.put("baseline", Durations.format(c.baseline()));
            change.put("warm_up", Durations.format(c.warmUp()));
            change.put("min_spread", c.minSpread());
            change.put("sensitivity", c.sensitivity().word());
            doc.put("change", change);
        } else {
            doc.put("comparison", rule.comparison().symbol());
            doc.put("fire", rule.fire());
            doc.put("resolve", rule.resolve());
        }
        if (!rule.forHold().isNone()) {
            doc.put("for", rule.forHold().toString());
        }
        if (!rule.keepFiringFor().isNone()) {
            doc.put("keep_firing_for", rule.keepFiringFor().toString());
        }
        doc.put("severity", rule.severity().name());
        if (!rule.labels().isEmpty()) {
            doc.put("labels", new TreeMap<>(rule.labels()));
        }
        if (!rule.annotations().isEmpty()) {
            Map<String, String> annotations = new TreeMap<>();
            rule.annotations().forEach((k, v) -> annotations.put(k, v.text()));
            doc.put("annotations", annotations);
        }
        if (!rule.enabled()) {
            doc.put("enabled", false);
        }
        rule.quietAfter().ifPresent(q -> doc.put("quiet_after", Durations.format(q)));
        if (rule.minCount() > 0) {
            doc.put("min_count", rule.minCount());
        }
        if (!rule.minimums().isEmpty()) {
            doc.put("min", new TreeMap<>(rule.minimums()));
        }
        if (rule.evaluate() == Rule.Evaluate.FINAL) {
            doc.put("evaluate", "final");
        }
        return doc;
    }
}
