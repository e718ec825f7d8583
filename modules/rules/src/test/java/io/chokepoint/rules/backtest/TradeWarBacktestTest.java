package io.chokepoint.rules.backtest;

import io.chokepoint.rules.backtest.BacktestReport.AlertRow;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.StreamsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a season of the trade war, the default rules fire and resolve once per stalled commodity. */
class TradeWarBacktestTest {

    private static final String DELAY_RULE = "rare-earth-magnet-delay-p95";

    @Test
    void rare_earths_and_magnets_fire_once_and_resolve_once_processors_never(@TempDir Path dir) throws Exception {
        List<Path> history = TradeWarHistory.write(dir, 2025);
        List<String> rejects = new ArrayList<>();
        BacktestReport report = new Backtest(RuleSet.defaults(), RuleSettings.defaults(), StreamsSettings.defaults())
                .run(history, Duration.ofHours(24), rejects::add);
        System.out.println(report.table());

        assertThat(rejects).isEmpty();
        for (String hs : TradeWarHistory.STALLED) {
            List<AlertRow> delay = report.alerts().stream().filter(a -> a.ruleId().equals(DELAY_RULE) && a.hsCode().equals(hs)).toList();
            assertThat(delay).as(hs).extracting(AlertRow::state).containsExactly("FIRING", "RESOLVED");
            assertThat(delay.get(1).alertId()).isEqualTo(delay.get(0).alertId());
            assertThat(delay.get(0).at()).isBetween(TradeWarHistory.STALL_FROM, Instant.parse("2025-04-25T00:00:00Z"));
            assertThat(delay.get(1).at()).isBetween(TradeWarHistory.STALL_UNTIL, Instant.parse("2025-06-10T00:00:00Z"));
            assertThat(delay.get(0).explanation()).contains("tariff 145 %").contains("top routes: CN-US");
        }
        assertThat(report.alerts()).filteredOn(a -> a.hsCode().equals("854231") && !a.ruleId().equals("tariff-escalation")).isEmpty();
        assertThat(report.totalsOf(DELAY_RULE).fires()).isEqualTo(2);
        assertThat(report.totalsOf(DELAY_RULE).flaps()).isZero();
        assertThat(report.totalsOf(DELAY_RULE).openAtEnd()).isZero();
        assertThat(report.totalsOf("tariff-escalation").fires()).isEqualTo(3);
        assertThat(report.totalsOf("licence-approval-collapse").commodities()).isEqualTo(2);
    }
}
