package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.rules.evaluation.RuleStateMachine.Step;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle edges, driven hour by hour like final stats records of hopping windows. */
class RuleStateMachineTest {

    private static final long H = 3_600_000L;
    private static final String HS = "850511";

    private static Rule rule(String extra) {
        return new RuleParser().parseOne("""
                id: magnets
                metric: p95DelayHours
                comparison: ">"
                fire: 72
                """ + extra, "test.yaml");
    }

    /** Feeds one value per hour and returns the notifications as "FIRING@h" / "RESOLVED@h". */
    private static List<String> run(Rule rule, double... values) {
        List<String> out = new ArrayList<>();
        Episode state = null;
        for (int i = 0; i < values.length; i++) {
            Step step = RuleStateMachine.evaluate(rule, HS, state, values[i], i * H);
            state = step.next().orElse(null);
            step.transition().ifPresent(t -> out.add(t.state() + "@" + t.at() / H));
        }
        return out;
    }

    @Test
    void flapping_around_the_fire_threshold_fires_once_and_resolves_once_with_hysteresis() {
        Rule r = rule("resolve: 48\n");
        assertThat(run(r, 70, 73, 71, 74, 70, 73, 49, 47, 73))
                .containsExactly("FIRING@1", "RESOLVED@7", "FIRING@8");
    }

    @Test
    void without_hysteresis_every_crossing_is_a_transition() {
        assertThat(run(rule(""), 70, 73, 71, 74)).containsExactly("FIRING@1", "RESOLVED@2", "FIRING@3");
    }

    @Test
    void resolves_only_past_the_resolve_threshold_and_not_on_it() {
        Rule r = rule("resolve: 48\n");
        // 48 is still "> 48"? no: 48 > 48 is false, so 48 resolves; 48.01 keeps firing
        assertThat(run(r, 80, 60, 48.01, 48)).containsExactly("FIRING@0", "RESOLVED@3");
    }

    @Test
    void for_duration_needs_the_condition_to_hold_that_long_and_resets_when_it_breaks() {
        Rule r = rule("for: 3h\n");
        assertThat(run(r, 80, 80, 80, 70, 80, 80, 80, 80))
                .as("held 0h,1h,2h then broke; restarted at 4h and reached 3h at 7h")
                .containsExactly("FIRING@7");
    }

    @Test
    void for_evaluations_counts_consecutive_evaluations() {
        Rule r = rule("for: 3 evaluations\n");
        assertThat(run(r, 80, 80, 70, 80, 80, 80)).containsExactly("FIRING@5");
    }

    @Test
    void firing_alert_id_is_the_name_based_uuid_of_rule_commodity_and_episode_start() {
        Rule r = rule("for: 2h\n");
        Episode state = null;
        Transition firing = null;
        for (int i = 0; i < 3; i++) {
            Step s = RuleStateMachine.evaluate(r, HS, state, 90, (10 + i) * H);
            state = s.next().orElse(null);
            if (s.transition().isPresent()) {
                firing = s.transition().get();
            }
        }
        assertThat(firing).isNotNull();
        assertThat(firing.episodeStart()).isEqualTo(10 * H);
        assertThat(firing.alertId()).isEqualTo(AlertIds.of("magnets", HS, 10 * H));
        Step resolved = RuleStateMachine.evaluate(r, HS, state, 10, 13 * H);
        assertThat(resolved.transition().orElseThrow().alertId()).isEqualTo(firing.alertId());
        assertThat(resolved.transition().orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void keep_firing_for_absorbs_a_short_dip_and_resolves_after_it() {
        Rule r = rule("resolve: 48\nkeep_firing_for: 2h\n");
        assertThat(run(r, 80, 40, 40, 80, 40, 40, 40))
                .as("dip at 1h-2h lasts < 2h and is absorbed; cleared from 4h, resolved at 6h")
                .containsExactly("FIRING@0", "RESOLVED@6");
    }

    @Test
    void keep_firing_for_evaluations_absorbs_n_clear_evaluations() {
        Rule r = rule("keep_firing_for: 2 evaluations\n");
        assertThat(run(r, 80, 10, 10, 10)).containsExactly("FIRING@0", "RESOLVED@3");
    }

    @Test
    void low_side_rules_fire_below_and_resolve_above() {
        Rule r = new RuleParser().parseOne("""
                id: approvals
                metric: licenceApprovalRate
                comparison: "<"
                fire: 0.4
                resolve: 0.6
                """, "t.yaml");
        assertThat(run(r, 0.9, 0.3, 0.5, 0.55, 0.6, 0.2)).containsExactly("FIRING@1", "RESOLVED@4", "FIRING@5");
    }

    @Test
    void close_resolves_a_firing_episode_with_its_last_value_and_ends_a_pending_one_silently() {
        Rule r = rule("for: 5h\n");
        Step pending = RuleStateMachine.evaluate(r, HS, null, 90, 0);
        assertThat(RuleStateMachine.close(pending.next().orElseThrow(), 72, H, "gone").transition()).isEmpty();

        Rule now = rule("");
        Step firing = RuleStateMachine.evaluate(now, HS, null, 95, 0);
        Transition t = RuleStateMachine.close(firing.next().orElseThrow(), 72, 4 * H, "the rule was deleted").transition().orElseThrow();
        assertThat(t.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(t.value()).isEqualTo(95);
        assertThat(t.at()).isEqualTo(4 * H);
        assertThat(t.reason()).isEqualTo("the rule was deleted");
    }
}
