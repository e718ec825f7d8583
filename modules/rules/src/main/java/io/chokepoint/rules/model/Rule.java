package io.chokepoint.rules.model;

import io.chokepoint.events.avro.Severity;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One alert rule: which commodities, which stats metric, when it fires ({@code fire} with
 * {@code for}), when it resolves ({@code resolve} with {@code keep_firing_for}), and what the
 * alert says. Thresholds are in the metric's own unit (hours, counts, percent, points, 0..1 rates).
 *
 * @param minimums {@code min:} evidence guards, stats field → minimum value
 * @param evaluate which stats the rule reads ({@code evaluate: live|final})
 * @param change   for a {@code kind: change} rule, how its detector looks for a shift; the rule then
 *                 watches the detector's score (fire at 1, see {@link ChangeDetection}) instead of
 *                 the metric against fixed thresholds
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
        Map<String, Double> minimums,
        Evaluate evaluate,
        Optional<ChangeDetection> change,
        String origin) {

    private static final Map<Rule, String> FINGERPRINTS = new ConcurrentHashMap<>();

    /**
     * Which stats a rule reads: {@code LIVE} (default) the live view of each commodity as it
     * updates, so an alert fires within a second of its evidence; {@code FINAL} only the complete
     * window once it closed (end + grace), for conditions a partial window would meet too early,
     * e.g. "fewer than N" counts, which every window meets while it is still filling.
     */
    public enum Evaluate { LIVE, FINAL }

    public Rule {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
        minimums = java.util.Collections.unmodifiableMap(new TreeMap<>(minimums));
    }

    /**
     * Whether a stats record carries enough evidence for this rule: at least {@code min_count}
     * delay observations and every {@code min} field at or above its minimum (a null field is not).
     */
    public boolean hasEvidence(io.chokepoint.events.avro.CommodityDelayStats stats) {
        if (stats.getCount() < minCount) {
            return false;
        }
        for (Map.Entry<String, Double> m : minimums.entrySet()) {
            java.util.OptionalDouble v = Metric.named(m.getKey()).orElseThrow().valueIn(stats);
            if (v.isEmpty() || v.getAsDouble() < m.getValue()) {
                return false;
            }
        }
        return true;
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
        // every evaluation stamps its episode with the fingerprint; writing the rule as JSON each
        // time was 7 % of a backtest. Rule definitions change at human pace, so the cache stays
        // small; the cap only guards a process fed generated rules for months.
        if (FINGERPRINTS.size() > 10_000) {
            FINGERPRINTS.clear();
        }
        return FINGERPRINTS.computeIfAbsent(this, RuleDocument::toJson);
    }

    /** The same rule reading other stats ({@code evaluate}). */
    public Rule withEvaluate(Evaluate other) {
        return new Rule(id, description, selector, metric, comparison, fire, resolve, forHold, keepFiringFor, severity, labels,
                annotations, enabled, quietAfter, minCount, minimums, other, change, origin);
    }

    /** A change-point rule ({@code kind: change}) rather than a static threshold. */
    public boolean isChange() {
        return change.isPresent();
    }
}
