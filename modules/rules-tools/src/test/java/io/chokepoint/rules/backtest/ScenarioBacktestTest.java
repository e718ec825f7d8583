package io.chokepoint.rules.backtest;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.producers.simulator.ScenarioLoader;
import io.chokepoint.rules.backtest.BacktestReport.AlertRow;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.StreamsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's built-in trade-war-2025 story, exported to the importers' CSV files and
 * backtested with the default rules. The rare-earth stall builds from 4 April and lifts by 1 July;
 * the story runs until the late shipments have arrived. Each stalled commodity then gives one
 * FIRING/RESOLVED pair for the stall (plus, at most, short pairs when the last stragglers land).
 */
class ScenarioBacktestTest {

    private static final String DELAY_RULE = "rare-earth-magnet-delay-p95";
    private static final List<String> STALLED = List.of("280530", "850511");

    @Test
    void the_trade_war_story_fires_and_resolves_once_per_stalled_commodity(@TempDir Path dir) throws Exception {
        ScenarioHistory story = new ScenarioHistory("trade-war-2025", 2025, Set.copyOf(STALLED));
        List<Path> files = exportCsv(story, dir);
        List<String> rejects = new ArrayList<>();
        BacktestReport report = new Backtest(RuleSet.defaults(), RuleSettings.defaults(), StreamsSettings.defaults())
                .run(files, Duration.ofHours(24), rejects::add, 20);
        System.out.println(report.table());
        report.alerts().stream().filter(a -> a.state().equals("RESOLVED") && !a.ruleId().startsWith("licence")).forEach(a -> System.out.println(a.ruleId() + " " + a.hsCode() + ": " + a.explanation()));

        assertThat(rejects).isEmpty();
        for (String hs : STALLED) {
            List<AlertRow> delay = report.alerts().stream().filter(a -> a.ruleId().equals(DELAY_RULE) && a.hsCode().equals(hs)).toList();
            assertThat(delay).as(hs + ": FIRING/RESOLVED pairs").hasSizeGreaterThanOrEqualTo(2);
            for (int i = 0; i < delay.size(); i += 2) {
                assertThat(delay.get(i).state()).as(hs + " #" + i).isEqualTo("FIRING");
                assertThat(delay.get(i + 1).state()).as(hs + " #" + (i + 1)).isEqualTo("RESOLVED");
                assertThat(delay.get(i + 1).alertId()).isEqualTo(delay.get(i).alertId());
            }
            // the stall is one episode: from while it builds until the late shipments are in
            assertThat(delay.get(0).at()).as(hs + " fires while the stall builds")
                    .isBetween(Instant.parse("2025-04-04T00:00:00Z"), Instant.parse("2025-05-05T00:00:00Z"));
            assertThat(delay.get(1).at()).as(hs + " resolves once the late shipments are in")
                    .isAfter(Instant.parse("2025-06-12T00:00:00Z"));
            assertThat(delay.get(0).explanation()).contains("latest policy event").contains("top routes: CN-");
            // afterwards at most short episodes for the last stragglers, never a flap
            for (int i = 2; i < delay.size(); i += 2) {
                assertThat(Duration.between(delay.get(i).at(), delay.get(i + 1).at())).as(hs + " straggler episode")
                        .isLessThan(Duration.ofDays(4));
            }
        }
        assertThat(report.totalsOf(DELAY_RULE).flaps()).isZero();
        assertThat(report.totalsOf(DELAY_RULE).openAtEnd()).isZero();
    }

    /** Writes the story as milestones.csv, licences.csv and tariffs.csv, as an operator's export would look. */
    static List<Path> exportCsv(ScenarioHistory story, Path dir) throws Exception {
        Path m = dir.resolve("milestones.csv");
        Path l = dir.resolve("licences.csv");
        Path t = dir.resolve("tariffs.csv");
        try (BufferedWriter mw = Files.newBufferedWriter(m); BufferedWriter lw = Files.newBufferedWriter(l);
             BufferedWriter tw = Files.newBufferedWriter(t)) {
            mw.write("shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier\n");
            lw.write("licence_id,decided_at,authority,exporter,importer,hs_code,decision,quantity_kg\n");
            tw.write("change_id,announced_at,effective_at,imposing_country,target_country,hs_code,previous_rate_pct,new_rate_pct,measure\n");
            while (story.hasNext()) {
                Object e = story.next().event();
                if (e instanceof ShipmentMilestone s) {
                    mw.write(String.join(",", s.getShipmentId(), s.getHsCode(), s.getOrigin(), s.getDestination(), s.getMilestone().name(),
                            s.getPlannedAt().toString(), s.getActualAt().toString(), s.getQuantityKg() == null ? "" : s.getQuantityKg().toString(),
                            s.getCarrier() == null ? "" : "\"" + s.getCarrier() + "\"") + "\n");
                } else if (e instanceof ExportLicenseDecision d) {
                    lw.write(String.join(",", d.getLicenceId(), d.getDecidedAt().toString(), d.getAuthority(), d.getExporter(), d.getImporter(),
                            d.getHsCode(), d.getDecision().name(), d.getQuantityKg() == null ? "" : d.getQuantityKg().toString()) + "\n");
                } else if (e instanceof TariffChange c) {
                    tw.write(String.join(",", c.getChangeId(), c.getAnnouncedAt().toString(), c.getEffectiveAt().toString(),
                            c.getImposingCountry(), c.getTargetCountry(), c.getHsCode(), Double.toString(c.getPreviousRatePct()),
                            Double.toString(c.getNewRatePct()), c.getMeasure().name()) + "\n");
                }
            }
        }
        return List.of(m, l, t);
    }
}
