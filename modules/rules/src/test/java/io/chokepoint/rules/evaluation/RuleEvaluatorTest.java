package io.chokepoint.rules.evaluation;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.rules.support.RuleDriver;
import io.chokepoint.rules.support.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.chokepoint.rules.support.Stats.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The evaluator inside Kafka Streams: given live views, final stats and rule changes, when time passes, then these alerts. */
@ExtendWith(DevClusterExtension.class)
class RuleEvaluatorTest {

    private static final String MAGNETS = "850511";
    private static final String FERRITE = "850519";
    private static final String CHIPS = "854231";

    private static final String MAGNET_RULE = """
            id: magnets
            select: {groups: [permanent-magnets]}
            metric: p95DelayHours
            comparison: ">"
            fire: 72
            resolve: 48
            for: 2h
            severity: CRITICAL
            labels: {team: ops}
            annotations:
              summary: "{{ .commodity }}: p95 {{ .value }} h vs {{ .threshold }} h"
            """;

    private static Instant hour(int h) {
        return T0.plus(Duration.ofHours(h));
    }

    @Test
    void one_firing_and_one_resolved_per_episode_with_an_explanation(DevCluster cluster) {
        try (RuleDriver d = new RuleDriver(cluster, "rules:\n" + MAGNET_RULE.indent(2).replaceFirst("  id", "- id"))) {
            d.pipe(Stats.p95(MAGNETS, 1, 30));
            d.pipe(Stats.p95(MAGNETS, 2, 80));                                   // pending from 2h
            d.pipe(Stats.finalAt(MAGNETS, 3).setP95DelayHours(500).build());    // a final: not for a live rule
            d.pipe(Stats.p95(MAGNETS, 3, 75));
            d.pipe(Stats.p95(CHIPS, 3, 500));                                    // not selected
            d.pipe(Stats.p95(MAGNETS, 4, 90));                                   // held 2h: FIRING
            d.pipe(Stats.p95(MAGNETS, 3, 10));                                   // older view: ignored
            d.pipe(Stats.p95(MAGNETS, 5, 60));                                   // hysteresis band: still firing
            d.pipe(Stats.p95(MAGNETS, 6, 73));
            d.pipe(Stats.p95(MAGNETS, 7, 50));
            d.pipe(Stats.p95(MAGNETS, 8, 40));                                   // <= 48: RESOLVED

            List<DisruptionAlert> alerts = d.alerts();
            assertThat(alerts).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            DisruptionAlert firing = alerts.get(0);
            DisruptionAlert resolved = alerts.get(1);
            String id = AlertIds.of("magnets", MAGNETS, hour(2).toEpochMilli());
            assertThat(firing.getAlertId()).isEqualTo(id);
            assertThat(resolved.getAlertId()).isEqualTo(id);
            assertThat(firing.getEpisodeStart()).isEqualTo(hour(2));
            assertThat(firing.getEventAt()).isEqualTo(hour(4));
            assertThat(firing.getObservedValue()).isEqualTo(90);
            assertThat(firing.getThreshold()).isEqualTo(72);
            assertThat(firing.getWindowStart()).isEqualTo(hour(5).minus(Duration.ofHours(24)));
            assertThat(firing.getWindowEnd()).isEqualTo(hour(5));
            assertThat(firing.getEvidenceAt()).isEqualTo(hour(4));
            assertThat(firing.getEmittedAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
            assertThat(firing.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(firing.getCommodityGroup()).isEqualTo("permanent-magnets");
            assertThat(firing.getLabels()).containsEntry("team", "ops").containsEntry("alertname", "magnets")
                    .containsEntry("hs_code", MAGNETS).containsEntry("commodity_group", "permanent-magnets")
                    .containsEntry("severity", "CRITICAL");
            assertThat(firing.getAnnotations()).containsEntry("summary", "Permanent magnets of metal (NdFeB, SmCo): p95 90 h vs 72 h");
            assertThat(firing.getExplanation())
                    .contains("p95DelayHours = 90 > 72 (fire threshold, held for 2h since 2025-04-01T02:00Z)")
                    .contains("in window 2025-03-31T05:00Z – 2025-04-01T05:00Z (live, 40 observations)")
                    .contains("tariff 145 % (last change +125 points at 2025-04-09T13:00Z)")
                    .contains("licences in the window: 2 approved, 8 denied, 14 pending (2 of 10 decided approved, 20 %),"
                            + " last approval 2025-03-29T16:00Z (2.5 days before the window end)")
                    .contains("latest policy event: tariff change +125 points at 2025-04-09T13:00Z")
                    .contains("top routes: CN-US, CN-DE");
            assertThat(resolved.getEventAt()).isEqualTo(hour(8));
            assertThat(resolved.getObservedValue()).isEqualTo(40);
            assertThat(resolved.getThreshold()).isEqualTo(48);
            assertThat(resolved.getExplanation()).startsWith("p95DelayHours = 40 <= 48 (resolve threshold)");
            assertThat(resolved.getAnnotations()).containsEntry("summary", "Permanent magnets of metal (NdFeB, SmCo): p95 40 h vs 48 h");
        }
    }

    @Test
    void a_rule_changed_mid_episode_keeps_the_episode_and_applies_the_new_thresholds(DevCluster cluster) {
        try (RuleDriver d = new RuleDriver(cluster, null)) {
            d.rules.pipeInput("magnets", MAGNET_RULE);
            d.pipe(Stats.p95(MAGNETS, 1, 90));
            d.pipe(Stats.p95(MAGNETS, 3, 90));                                   // FIRING, episode from 1h
            d.rules.pipeInput("magnets", MAGNET_RULE.replace("resolve: 48", "resolve: 20").replace("team: ops", "team: night-shift"));
            d.wallClock(Duration.ofSeconds(10));
            d.pipe(Stats.p95(MAGNETS, 4, 40));                                   // would have resolved under the old rule
            d.pipe(Stats.p95(MAGNETS, 5, 10));                                   // resolves under the new one
            List<DisruptionAlert> alerts = d.alerts();
            assertThat(alerts).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            assertThat(alerts.get(1).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
            assertThat(alerts.get(1).getThreshold()).isEqualTo(20);
            assertThat(alerts.get(1).getLabels()).containsEntry("team", "night-shift");

            // raising the thresholds above the last value resolves at the next reconciliation, without new stats
            d.pipe(Stats.p95(MAGNETS, 6, 90));
            d.pipe(Stats.p95(MAGNETS, 8, 90));                                   // FIRING again, new episode
            d.rules.pipeInput("magnets", MAGNET_RULE.replace("fire: 72", "fire: 120").replace("resolve: 48", "resolve: 100"));
            assertThat(d.alerts()).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            d.wallClock(Duration.ofSeconds(10));
            List<DisruptionAlert> after = d.alerts();
            assertThat(after).extracting(DisruptionAlert::getState).containsExactly(AlertState.RESOLVED);
            assertThat(after.get(0).getAlertId()).isEqualTo(AlertIds.of("magnets", MAGNETS, hour(6).toEpochMilli()));
            assertThat(after.get(0).getExplanation()).contains("the rule changed: the last value 90 is past the new resolve threshold 100");
        }
    }

    @Test
    void a_change_rule_fires_on_a_shift_and_new_change_settings_end_its_episode(DevCluster cluster) {
        String shiftRule = """
                id: magnets-shift
                kind: change
                select: {hs_codes: ["850511"]}
                metric: p95DelayHours
                change: {min_spread: 4}
                """;
        try (RuleDriver d = new RuleDriver(cluster, null)) {
            d.rules.pipeInput("magnets-shift", shiftRule);
            int learned = 8 * 24;
            for (int h = 1; h <= learned; h++) {
                d.pipe(Stats.p95(MAGNETS, h, 8 + h % 3));
            }
            assertThat(d.alerts()).as("nothing while learning and in control").isEmpty();
            for (int h = learned + 1; h <= learned + 24; h++) {
                d.pipe(Stats.p95(MAGNETS, h, 40));
            }
            List<DisruptionAlert> firing = d.alerts();
            assertThat(firing).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            assertThat(firing.get(0).getObservedValue()).isEqualTo(40);
            assertThat(firing.get(0).getThreshold()).as("baseline median").isEqualTo(9);
            assertThat(firing.get(0).getMetric()).isEqualTo("p95DelayHours");
            assertThat(firing.get(0).getExplanation()).startsWith("p95DelayHours shifted up: 40 against a baseline of 9");

            // other change settings: a new detector learns again, so the open episode ends at once
            d.rules.pipeInput("magnets-shift", shiftRule.replace("min_spread: 4", "min_spread: 6"));
            d.pipe(Stats.p95(MAGNETS, learned + 25, 40));
            List<DisruptionAlert> resolved = d.alerts();
            assertThat(resolved).extracting(DisruptionAlert::getState).containsExactly(AlertState.RESOLVED);
            assertThat(resolved.get(0).getAlertId()).isEqualTo(firing.get(0).getAlertId());
            assertThat(resolved.get(0).getExplanation()).startsWith("resolved because the rule's change settings changed and its detector"
                    + " learns the baseline again; last p95DelayHours = 40 against a baseline of 9");
            for (int h = learned + 26; h <= learned + 48; h++) {
                d.pipe(Stats.p95(MAGNETS, h, 40));
            }
            assertThat(d.alerts()).as("the new detector is still learning").isEmpty();
        }
    }

    @Test
    void a_rule_deleted_while_firing_resolves_with_the_labels_it_fired_with(DevCluster cluster) {
        try (RuleDriver d = new RuleDriver(cluster, null)) {
            d.rules.pipeInput("magnets", MAGNET_RULE);
            d.pipe(Stats.p95(MAGNETS, 1, 90));
            d.pipe(Stats.p95(FERRITE, 1, 95));
            d.pipe(Stats.p95(MAGNETS, 3, 90));
            d.pipe(Stats.p95(FERRITE, 3, 95));
            assertThat(d.alerts()).hasSize(2);
            d.rules.pipeInput("magnets", (String) null);
            d.wallClock(Duration.ofSeconds(10));
            List<DisruptionAlert> resolved = d.alerts();
            assertThat(resolved).extracting(DisruptionAlert::getHsCode).containsExactlyInAnyOrder(MAGNETS, FERRITE);
            assertThat(resolved).allSatisfy(a -> {
                assertThat(a.getState()).isEqualTo(AlertState.RESOLVED);
                assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
                assertThat(a.getLabels()).containsEntry("team", "ops");
                assertThat(a.getExplanation()).startsWith("resolved because the rule was deleted; last p95DelayHours = ");
                assertThat(a.getEventAt()).isEqualTo(hour(3));
            });
            d.pipe(Stats.p95(MAGNETS, 4, 200));
            d.wallClock(Duration.ofSeconds(10));
            assertThat(d.alerts()).as("nothing more after the rule is gone").isEmpty();
        }
    }

    @Test
    void a_quiet_commodity_resolves_by_the_wall_clock(DevCluster cluster) {
        try (RuleDriver d = new RuleDriver(cluster, "rules:\n" + MAGNET_RULE.replace("for: 2h", "quiet_after: 3h").indent(2).replaceFirst("  id", "- id"))) {
            d.pipe(Stats.p95(MAGNETS, 1, 90));
            assertThat(d.alerts()).hasSize(1);
            d.wallClock(Duration.ofHours(2));
            assertThat(d.alerts()).isEmpty();
            d.wallClock(Duration.ofHours(1));
            List<DisruptionAlert> resolved = d.alerts();
            assertThat(resolved).hasSize(1);
            assertThat(resolved.get(0).getState()).isEqualTo(AlertState.RESOLVED);
            assertThat(resolved.get(0).getExplanation()).contains("no stats for this commodity for 3h (wall clock)");
        }
    }

    @Test
    void a_quiet_commodity_resolves_once_after_quiet_after_of_its_own_silence(DevCluster cluster) {
        try (RuleDriver d = new RuleDriver(cluster, "rules:\n" + MAGNET_RULE.replace("for: 2h", "quiet_after: 4h").indent(2).replaceFirst("  id", "- id"))) {
            d.pipe(Stats.p95(MAGNETS, 1, 90));                                   // FIRING; then magnets go quiet
            for (int h = 1; h <= 30; h++) {
                d.pipe(Stats.p95(CHIPS, h, 10));                                 // other commodities' time is not theirs
            }
            assertThat(d.alerts()).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            for (int h = 2; h <= 8; h++) {                                       // magnets' own view slides on, no new fact
                d.pipe(Stats.liveAt(MAGNETS, h).setP95DelayHours(90).setLastEventAt(hour(1)).build());
            }
            List<DisruptionAlert> alerts = d.alerts();
            assertThat(alerts).extracting(DisruptionAlert::getState).containsExactly(AlertState.RESOLVED);
            assertThat(alerts.get(0).getEventAt()).isEqualTo(hour(5));
            assertThat(alerts.get(0).getExplanation()).contains("no new fact of this commodity for 4h (the newest at 2025-04-01T01:00Z)");
            d.pipe(Stats.p95(MAGNETS, 9, 90));                                   // a new fact: a new episode
            assertThat(d.alerts()).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
        }
    }

    @Test
    void an_emptied_view_resolves_and_final_rules_read_only_finals(DevCluster cluster) {
        String rules = "rules:\n" + MAGNET_RULE.replace("for: 2h", "evaluate: final").replace("id: magnets", "id: magnets-final")
                .indent(2).replaceFirst("  id", "- id") + MAGNET_RULE.replace("for: 2h", "").indent(2).replaceFirst("  id", "- id");
        try (RuleDriver d = new RuleDriver(cluster, rules)) {
            d.pipe(Stats.p95(MAGNETS, 1, 90));                                   // live: the live rule fires now
            assertThat(d.alerts()).extracting(DisruptionAlert::getRuleId).containsExactly("magnets");
            d.pipe(Stats.finalAt(MAGNETS, 24).setP95DelayHours(90).build());     // the window closed: the final rule fires
            assertThat(d.alerts()).extracting(DisruptionAlert::getRuleId).containsExactly("magnets-final");
            d.pipe(Stats.liveAt(MAGNETS, 26).setCount(0).setLicencesDecided(0).setCurrentTariffPct(null).setLastEventAt(null).build());
            List<DisruptionAlert> resolved = d.alerts();
            assertThat(resolved).extracting(DisruptionAlert::getRuleId).containsExactly("magnets");
            assertThat(resolved.get(0).getExplanation()).contains("no fact of this commodity is left in its stats window");
        }
    }

    @Test
    void missing_values_and_thin_windows_leave_the_episode_alone(DevCluster cluster) {
        String rule = """
                rules:
                  - id: approvals
                    metric: licenceApprovalRate
                    comparison: "<"
                    fire: 0.4
                    resolve: 0.6
                    min_count: 10
                """;
        try (RuleDriver d = new RuleDriver(cluster, rule)) {
            d.pipe(Stats.liveAt(MAGNETS, 1).setLicenceApprovalRate(0.1).build());
            d.pipe(Stats.liveAt(MAGNETS, 2).setLicenceApprovalRate(null).setLicencesDecided(0).setLicencesApproved(0).build());
            d.pipe(Stats.liveAt(MAGNETS, 3).setLicenceApprovalRate(0.9).setCount(3).build());
            assertThat(d.alerts()).extracting(DisruptionAlert::getState).containsExactly(AlertState.FIRING);
            d.pipe(Stats.liveAt(MAGNETS, 4).setLicenceApprovalRate(0.9).build());
            assertThat(d.alerts()).extracting(DisruptionAlert::getState).containsExactly(AlertState.RESOLVED);
        }
    }
}
