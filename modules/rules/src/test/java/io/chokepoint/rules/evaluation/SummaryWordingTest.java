package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A summary template reads right on FIRING and on RESOLVED: never "p95 delay -4.55 h above 36 h". */
class SummaryWordingTest {

    static Rule rule(String comparison, int fire, int resolve) {
        return new RuleParser().parseOne("""
                id: r
                select: {groups: [permanent-magnets]}
                metric: p95DelayHours
                comparison: "%s"
                fire: %d
                resolve: %d
                severity: WARNING
                """.formatted(comparison, fire, resolve), "r.yaml");
    }

    @Test
    void the_resolved_summary_says_the_value_is_back_on_the_quiet_side() {
        Rule above = rule(">", 72, 36);
        assertThat(AlertFactory.versus(above, new Transition(AlertState.FIRING, "a", 0, 80, 72, 0, null))).isEqualTo("above");
        assertThat(AlertFactory.versus(above, new Transition(AlertState.RESOLVED, "a", 0, -4.55, 36, 0, null))).isEqualTo("back below");
        assertThat(AlertFactory.versus(above, new Transition(AlertState.RESOLVED, "a", 0, 80, 36, 0, "rule deleted")))
                .isEqualTo("resolved (rule deleted), threshold");
        Rule below = rule("<", 36, 72);
        assertThat(AlertFactory.versus(below, new Transition(AlertState.FIRING, "a", 0, 10, 72, 0, null))).isEqualTo("below");
        assertThat(AlertFactory.versus(below, new Transition(AlertState.RESOLVED, "a", 0, 90, 36, 0, null))).isEqualTo("back above");
    }
}
