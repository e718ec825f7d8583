package io.chokepoint.rules.backtest;

import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.backtest.BacktestReport.EarlyWarning;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.StreamsSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped change rules against the two built-in stories, through the production topologies:
 * on trade-war-2025 they warn about the rare-earth stall days before the p95 threshold; on
 * calm-2025, a year without any shock, they stay quiet.
 */
class ChangeRuleBacktestTest {

    private static final String SHIFT_RULE = "rare-earth-magnet-delay-shift";
    private static final String P95_RULE = "rare-earth-magnet-delay-p95";

    @Test
    void the_shift_rule_fires_at_least_48_hours_before_the_p95_threshold_on_the_trade_war_story() {
        Set<String> rareEarths = selectedBy(Set.of(SHIFT_RULE));
        BacktestReport report = new Backtest(RuleSet.defaults(), RuleSettings.defaults(), StreamsSettings.defaults())
                .run(new ScenarioHistory("trade-war-2025", 2025, rareEarths), List.of("trade-war-2025"), Duration.ofHours(24), () -> 0);
        System.out.println(report.table());
        for (String hs : List.of("280530", "850511")) {
            EarlyWarning first = report.earlyWarnings().stream().filter(w -> w.ruleId().equals(SHIFT_RULE) && w.hsCode().equals(hs))
                    .findFirst().orElseThrow(() -> new AssertionError(hs + ": no change alert"));
            assertThat(first.thresholdRuleId()).as(hs).isEqualTo(P95_RULE);
            assertThat(first.lead()).as(hs + ": lead over the p95 threshold").isGreaterThanOrEqualTo(Duration.ofHours(48));
        }
        assertThat(report.alerts().stream().filter(a -> a.ruleId().equals(SHIFT_RULE) && a.state().equals("FIRING")))
                .as("one change alert per stalled commodity, none for uncontrolled cerium (284610)")
                .extracting(BacktestReport.AlertRow::hsCode).containsExactlyInAnyOrder("280530", "284690", "850511", "850519");
        assertThat(report.alerts()).filteredOn(a -> a.ruleId().equals(SHIFT_RULE) && a.state().equals("FIRING")).allSatisfy(a ->
                assertThat(a.explanation()).startsWith("p95DelayHours shifted up: ").contains("the change began about 2025-04-0"));
        assertThat(report.changeTotalsOf(SHIFT_RULE).unconfirmed()).isZero();
    }

    @Test
    void the_change_rules_raise_at_most_one_false_alarm_per_100_commodity_months_on_a_calm_year() {
        Set<String> ruleIds = RuleSet.defaults().all().stream().filter(Rule::isChange).map(Rule::id).collect(Collectors.toSet());
        BacktestReport report = new Backtest(RuleSet.defaults(), RuleSettings.defaults(), StreamsSettings.defaults())
                .run(new ScenarioHistory("calm-2025", ScenarioHistory.defaultSeed("calm-2025"), selectedBy(ruleIds)),
                        List.of("calm-2025"), Duration.ofHours(24), () -> 0);
        System.out.println(report.table());
        int falseAlarms = report.changeTotals().stream().mapToInt(BacktestReport.ChangeTotals::unconfirmed).sum();
        double commodityMonths = report.changeTotals().stream().mapToDouble(BacktestReport.ChangeTotals::commodityMonths).sum();
        assertThat(commodityMonths).as("a year of every commodity the change rules select").isGreaterThan(150);
        assertThat(100.0 * falseAlarms / commodityMonths).as("false alarms per 100 commodity-months").isLessThanOrEqualTo(1.0);
        assertThat(report.alerts()).as("no threshold rule fires on a calm year either").isEmpty();
    }

    /** The catalogue commodities the given default rules select. */
    private static Set<String> selectedBy(Set<String> ruleIds) {
        List<Rule> rules = RuleSet.defaults().all().stream().filter(r -> ruleIds.contains(r.id())).toList();
        CommodityCatalogue catalogue = CommodityCatalogue.defaultCatalogue();
        return catalogue.all().stream().map(Commodity::hsCode)
                .filter(hs -> rules.stream().anyMatch(r -> r.selector().matches(hs, catalogue))).collect(Collectors.toSet());
    }
}
