package io.chokepoint.rules;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.rules.backtest.Backtest;
import io.chokepoint.rules.backtest.BacktestReport;
import io.chokepoint.rules.backtest.HistoryEvent;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.offline.HistoryReplay;
import io.chokepoint.rules.offline.Replay;
import io.chokepoint.streams.StreamsSettings;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delay aggregation and the rule evaluation together, as they ship: default settings, live
 * view on (emitted every {@code streams.emit.interval} of wall clock, which these tests move on
 * after every fact as a live system's clock would), rules on the live view.
 */
class StreamsAndRulesTest {

    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    private static final String MAGNETS = "850511";
    private static final String FERRITE = "850519";
    private static final String CHIPS = "854231";
    private static final String P95_RULE = "rare-earth-magnet-delay-p95";

    /** The two engines that run the topologies offline: every test runs on both, and both must agree. */
    enum Engine {
        /** {@link Replay}: Kafka's TopologyTestDriver, the reference. */
        TOPOLOGY_TEST_DRIVER,
        /** {@link HistoryReplay}: the processors called directly, the backtest's engine. */
        HISTORY_REPLAY
    }

    /** Feeds facts in event-time order, moving the wall clock on after each like a live system. */
    private static final class Live implements AutoCloseable {
        final StreamsSettings streams = StreamsSettings.defaults();
        final List<DisruptionAlert> alerts = new ArrayList<>();
        private final Replay reference;
        private final HistoryReplay replay;

        Live(Engine engine, RuleSet rules) {
            reference = engine == Engine.TOPOLOGY_TEST_DRIVER ? Replay.ofHistory(rules, RuleSettings.defaults(), streams) : null;
            replay = engine == Engine.HISTORY_REPLAY ? HistoryReplay.of(rules, RuleSettings.defaults(), streams) : null;
        }

        void pipe(SpecificRecord fact, Instant at) {
            if (reference != null) {
                reference.pipeEvent(fact, at);
                reference.advanceWallClock(streams.emitInterval());
                reference.drainAlerts().forEach(r -> alerts.add(r.value()));
            } else {
                replay.pipeEvent(fact, at);
                replay.advanceWallClock(streams.emitInterval());
                alerts.addAll(replay.drainAlerts());
            }
        }

        List<DisruptionAlert> of(String rule, String hs) {
            return alerts.stream().filter(a -> a.getRuleId().equals(rule) && a.getHsCode().equals(hs)).toList();
        }

        @Override
        public void close() {
            if (reference != null) {
                reference.close();
            } else {
                replay.close();
            }
        }
    }

    private static ShipmentMilestone arrived(String hs, String shipment, Instant actual, double delayHours) {
        return ShipmentMilestone.newBuilder().setEventId(shipment + ":ARRIVED").setShipmentId(shipment).setHsCode(hs)
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.ARRIVED)
                .setPlannedAt(actual.minusSeconds((long) (delayHours * 3600))).setActualAt(actual).build();
    }

    /** One arrival per hour from {@code fromHour} to {@code toHour}, each {@code delayHours} late. */
    private static void hourly(Live live, String hs, int fromHour, int toHour, double delayHours) {
        for (int h = fromHour; h < toHour; h++) {
            Instant at = T0.plus(Duration.ofHours(h)).plusSeconds(600);
            live.pipe(arrived(hs, hs + "-" + h, at, delayHours), at);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void a_burst_above_threshold_for_days_fires_once_and_resolves_only_when_the_value_crosses_the_resolve_threshold(Engine engine) {
        try (Live live = new Live(engine, RuleSet.defaults())) {
            hourly(live, FERRITE, 0, 24, 2);                       // another commodity, normal delays
            hourly(live, MAGNETS, 24, 60, 100);                    // the burst: 100 h late for days
            hourly(live, FERRITE, 60, 70, 2);                      // magnets silent for 10 h, still stalled
            hourly(live, MAGNETS, 70, 130, 100);
            hourly(live, MAGNETS, 130, 240, 1);                    // recovered

            List<DisruptionAlert> p95 = live.of(P95_RULE, MAGNETS);
            assertThat(p95).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            DisruptionAlert resolved = p95.get(1);
            assertThat(resolved.getAlertId()).isEqualTo(p95.get(0).getAlertId());
            assertThat(resolved.getObservedValue()).isLessThanOrEqualTo(36);
            assertThat(resolved.getExplanation()).startsWith("p95DelayHours = ");
            assertThat(resolved.getEventAt()).as("not before the value crossed 36 h, plus keep_firing_for 2d")
                    .isAfter(T0.plus(Duration.ofHours(130 + 48)));
            // the fifth late arrival (min_count 5) at 28:10, held for 2h: not after a window closed (24 h + 2 h grace later)
            assertThat(p95.get(0).getEventAt()).as("fires on the live view")
                    .isEqualTo(T0.plus(Duration.ofHours(30)).plusSeconds(600));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void a_rule_without_for_fires_at_the_event_time_of_the_fact_that_crossed_it(Engine engine) {
        RuleSet rules = RuleSet.of(new RuleParser().parse("""
                rules:
                  - id: magnets-max
                    metric: maxDelayHours
                    comparison: ">"
                    fire: 72
                    resolve: 24
                """, "live.yaml"));
        try (Live live = new Live(engine, rules)) {
            hourly(live, MAGNETS, 0, 5, 2);
            Instant late = T0.plus(Duration.ofHours(5)).plusSeconds(1234);
            live.pipe(arrived(MAGNETS, "late-one", late, 90), late);
            List<DisruptionAlert> alerts = live.of("magnets-max", MAGNETS);
            assertThat(alerts).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            assertThat(alerts.get(0).getEventAt()).isEqualTo(late);
            assertThat(alerts.get(0).getEvidenceAt()).isEqualTo(late);
            assertThat(alerts.get(0).getEmittedAt()).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void for_counts_evaluation_time(Engine engine) {
        RuleSet rules = RuleSet.of(new RuleParser().parse("""
                rules:
                  - id: magnets-max
                    metric: maxDelayHours
                    comparison: ">"
                    fire: 72
                    for: 3h
                """, "live.yaml"));
        try (Live live = new Live(engine, rules)) {
            for (int m = 0; m <= 6 * 60; m += 20) {
                Instant at = T0.plus(Duration.ofMinutes(m));
                live.pipe(arrived(MAGNETS, "s" + m, at, 90), at);
            }
            List<DisruptionAlert> alerts = live.of("magnets-max", MAGNETS);
            assertThat(alerts).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            assertThat(alerts.get(0).getEpisodeStart()).isEqualTo(T0);
            assertThat(alerts.get(0).getEventAt()).isEqualTo(T0.plus(Duration.ofHours(3)));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void a_tariff_change_or_licence_refusals_alone_fire_the_policy_rules(Engine engine) {
        try (Live live = new Live(engine, RuleSet.defaults())) {
            Instant announced = T0.plus(Duration.ofHours(1));
            live.pipe(TariffChange.newBuilder().setEventId("t1").setChangeId("t1").setHsCode(CHIPS).setImposingCountry("US")
                    .setTargetCountry("CN").setPreviousRatePct(20).setNewRatePct(145).setMeasure(TariffMeasure.INCREASE)
                    .setAnnouncedAt(announced).setEffectiveAt(announced).build(), announced);
            assertThat(live.of("tariff-escalation", CHIPS)).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            assertThat(live.of("tariff-escalation", CHIPS).get(0).getEventAt()).isEqualTo(announced);

            for (int i = 0; i < 4; i++) {
                Instant at = T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(10 * i));
                live.pipe(ExportLicenseDecision.newBuilder().setEventId("l" + i).setLicenceId("l" + i).setDecidedAt(at)
                        .setAuthority("MOFCOM").setExporter("CN").setImporter("US").setHsCode(FERRITE)
                        .setDecision(LicenceDecision.DENIED).build(), at);
            }
            hourly(live, MAGNETS, 3, 20, 2);                       // time moves on; ferrite ships nothing
            List<DisruptionAlert> licence = live.of("licence-approval-collapse", FERRITE);
            assertThat(licence).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            // the third refusal (min licencesDecided 3) at 2:20, held for 12h: the first evaluation after 14:20
            assertThat(licence.get(0).getEventAt()).isEqualTo(T0.plus(Duration.ofHours(15)).plusSeconds(600));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void a_quiet_commodity_resolves_exactly_once_after_quiet_after_of_its_own_silence(Engine engine) {
        RuleSet rules = RuleSet.of(new RuleParser().parse("""
                rules:
                  - id: magnets-max
                    select: {hs_codes: ["850511"]}
                    metric: maxDelayHours
                    comparison: ">"
                    fire: 72
                    resolve: 24
                    quiet_after: 6h
                """, "live.yaml"));
        try (Live live = new Live(engine, rules)) {
            hourly(live, MAGNETS, 0, 10, 90);                      // firing; the last fact at 9:10
            hourly(live, FERRITE, 10, 40, 2);                      // other commodities go on for a day
            List<DisruptionAlert> alerts = live.of("magnets-max", MAGNETS);
            assertThat(alerts).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            // the newest fact's pane ends at 10:00; 6 h of silence from then
            assertThat(alerts.get(1).getEventAt()).isBetween(T0.plus(Duration.ofHours(16)), T0.plus(Duration.ofHours(17)));
            assertThat(alerts.get(1).getExplanation()).contains("no new fact of this commodity for 6h");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void backtest_and_live_evaluation_give_the_same_alerts_for_the_same_facts(Engine engine) {
        List<HistoryEvent> facts = new ArrayList<>();
        for (int h = 0; h < 220; h++) {
            Instant at = T0.plus(Duration.ofHours(h)).plusSeconds(300);
            double delay = h >= 20 && h < 90 ? 120 : 3;
            facts.add(new HistoryEvent(arrived(MAGNETS, "m" + h, at, delay), at, "test"));
            facts.add(new HistoryEvent(arrived(FERRITE, "f" + h, at.plusSeconds(60), h % 7 == 0 ? 200 : 1), at.plusSeconds(60), "test"));
        }
        BacktestReport backtest = new Backtest(RuleSet.defaults(), RuleSettings.defaults(), StreamsSettings.defaults())
                .run(facts.iterator(), List.of("test"), Duration.ofHours(24), () -> 0);
        List<String> live;
        try (Live l = new Live(engine, RuleSet.defaults())) {
            facts.forEach(f -> l.pipe(f.event(), f.eventTime()));
            live = l.alerts.stream().map(a -> a.getRuleId() + " " + a.getHsCode() + " " + a.getState() + " " + minute(a.getEventAt())).toList();
        }
        // the backtest then closes the last windows, moving time past the facts; a live system waits
        Instant lastFact = facts.get(facts.size() - 1).eventTime();
        List<String> replayed = backtest.alerts().stream().filter(a -> !a.at().isAfter(lastFact))
                .map(a -> a.ruleId() + " " + a.hsCode() + " " + a.state() + " " + minute(a.at())).toList();
        assertThat(replayed).hasSizeGreaterThanOrEqualTo(3).isEqualTo(live);
    }

    /** Event times to the minute: a live watermark also moves by the seconds of wall clock spent between facts. */
    private static Instant minute(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }
}
