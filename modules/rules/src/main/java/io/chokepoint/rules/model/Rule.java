package io.chokepoint.rules.model;

import io.chokepoint.events.avro.Severity;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert rule: which commodities, which stats metric, when it fires ({@code fire} with
 * {@code for}), when it resolves ({@code resolve} with {@code keep_firing_for}), and what the
 * alert says. Thresholds are in the metric's own unit (hours, counts, percent, points, 0..1 rates).
 *
 * @param origin where the rule came from ({@code file.yaml:12} or {@code topic alert-rules}), for messages only
 */
public record Rule(
        String id,
        String description,
        CommoditySelector selector,
        Metric metric,
        Comparison comparison,
        double fire,
        double resolve,
        Hold forHold,
        Hold keepFiringFor,
        Severity severity,
        Map<String, String> labels,
        Map<String, AnnotationTemplate> annotations,
        boolean enabled,
        Optional<Duration> quietAfter,
        long minCount,
        String origin) {

    public Rule {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    /** The fire condition: the value is on the alerting side of {@code fire}. */
    public boolean fires(double value) {
        return comparison.holds(value, fire);
    }

    /** While firing, the alert stays while the value is still on the alerting side of {@code resolve}. */
    public boolean staysFiring(double value) {
        return comparison.holds(value, resolve);
    }

    /**
     * Identity of the rule's definition, independent of where it was loaded from: two rules with the
     * same fingerprint behave the same. The evaluator notices a changed rule by its fingerprint.
     */
    public String fingerprint() {
        return RuleDocument.toJson(this);
    }

    /** Whether a change from {@code previous} to this rule keeps an open episode meaningful. */
    public boolean continuesEpisodeOf(Rule previous) {
        return previous.metric.equals(metric) && previous.comparison == comparison;
    }
}
