package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.Severity;
import io.chokepoint.rules.model.CommoditySelector;
import io.chokepoint.rules.model.Comparison;
import io.chokepoint.rules.model.Hold;
import io.chokepoint.rules.model.Metric;
import io.chokepoint.rules.model.Rule;

import java.util.Map;
import java.util.Optional;

/** Last resort for a deleted rule whose stored definition no longer parses: enough to build the RESOLVED. */
final class DeletedRule {

    private DeletedRule() {
    }

    static Rule of(String ruleId, Episode episode) {
        Metric metric = Metric.named(episode.metric()).orElse(Metric.all().get(0));
        Comparison comparison = Comparison.fromSymbol(episode.comparison()).orElse(Comparison.GREATER);
        return new Rule(ruleId, "(deleted)", CommoditySelector.ALL, metric, comparison, episode.lastValue(), episode.lastValue(),
                Hold.NONE, Hold.NONE, Severity.UNKNOWN, Map.of(), Map.of(), false, Optional.empty(), 0, Map.of(),
                Rule.Evaluate.LIVE, Optional.empty(), "deleted");
    }
}
