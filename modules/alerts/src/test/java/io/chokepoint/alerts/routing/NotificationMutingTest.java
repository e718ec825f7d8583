package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Silences and inhibition mute new FIRING noise; the all-clear reaches whoever heard the FIRING. */
class NotificationMutingTest {

    final RoutingConfig config = RoutingConfigLoader.parse("""
            route: {receiver: log}
            receivers:
              - name: log
                json_lines: {path: "-"}
            inhibit_rules:
              - source_matchers: [severity=CRITICAL]
                target_matchers: [severity=WARNING]
                equal: [hs_code]
            """, "routing.yaml", k -> Optional.empty());
    final Inhibitor inhibitor = new Inhibitor(config.inhibitRules());
    final Set<String> silencedHsCodes = new HashSet<>();
    final Map<String, NotificationMuting.Reason> recordedBefore = new HashMap<>();
    final NotificationMuting muting = new NotificationMuting(labels -> silencedHsCodes.contains(labels.get(AlertLabels.HS_CODE)),
            inhibitor, (receiver, alertId) -> Optional.ofNullable(recordedBefore.get(receiver + "|" + alertId)));

    final DisruptionAlert critical = Alerts.firing("crit", "850511", Severity.CRITICAL);
    final DisruptionAlert warning = Alerts.alert("warn", "tariff-escalation", "850511", "permanent-magnets",
            io.chokepoint.events.avro.AlertState.FIRING, Severity.WARNING, Map.of());

    /** As the dispatcher does: the inhibitor sees every record at intake, muting decides at flush. */
    Optional<NotificationMuting.Reason> arrive(String receiver, DisruptionAlert a) {
        inhibitor.observe(a, AlertLabels.of(a));
        return muting.decide(receiver, a.getAlertId(), a.getState(), AlertLabels.of(a), false);
    }

    @Test
    void a_warning_told_before_its_critical_fired_is_told_when_it_resolves_although_the_critical_still_fires() {
        assertThat(arrive("hook", warning)).isEmpty();
        assertThat(arrive("hook", critical)).isEmpty();
        assertThat(arrive("hook", Alerts.resolved(warning))).as("the all-clear is never inhibited").isEmpty();
        assertThat(arrive("hook", Alerts.resolved(critical))).isEmpty();
        assertThat(muting.remembered()).isZero();
    }

    @Test
    void a_warning_inhibited_at_firing_is_not_resolved_either_as_alertmanager_does() {
        assertThat(arrive("hook", critical)).isEmpty();
        assertThat(arrive("hook", warning)).contains(NotificationMuting.Reason.INHIBITED);
        assertThat(arrive("hook", Alerts.resolved(critical))).isEmpty();
        assertThat(arrive("hook", Alerts.resolved(warning))).as("the receiver never had it open").contains(NotificationMuting.Reason.INHIBITED);
    }

    @Test
    void a_silence_added_after_the_firing_does_not_swallow_the_resolved() {
        assertThat(arrive("hook", warning)).isEmpty();
        silencedHsCodes.add("850511");
        assertThat(muting.decide("hook", "warn", warning.getState(), AlertLabels.of(warning), true)).as("reminders are noise")
                .contains(NotificationMuting.Reason.SILENCED);
        assertThat(arrive("hook", Alerts.resolved(warning))).isEmpty();
    }

    @Test
    void a_firing_silenced_then_told_by_a_reminder_after_the_silence_ended_gets_its_resolved() {
        silencedHsCodes.add("850511");
        assertThat(arrive("hook", warning)).contains(NotificationMuting.Reason.SILENCED);
        silencedHsCodes.clear();
        assertThat(muting.decide("hook", "warn", warning.getState(), AlertLabels.of(warning), true)).isEmpty();
        assertThat(arrive("hook", Alerts.resolved(warning))).isEmpty();
    }

    @Test
    void the_fate_is_per_receiver() {
        silencedHsCodes.add("850511");
        assertThat(arrive("pager", warning)).contains(NotificationMuting.Reason.SILENCED);
        silencedHsCodes.clear();
        assertThat(muting.decide("slack", "warn", warning.getState(), AlertLabels.of(warning), false)).isEmpty();
        assertThat(arrive("pager", Alerts.resolved(warning))).contains(NotificationMuting.Reason.SILENCED);
        assertThat(arrive("slack", Alerts.resolved(warning))).isEmpty();
    }

    @Test
    void after_a_restart_the_recorded_fate_decides_and_an_unknown_firing_gets_its_all_clear() {
        recordedBefore.put("hook|warn", NotificationMuting.Reason.INHIBITED);
        assertThat(arrive("hook", critical)).isEmpty();
        assertThat(arrive("hook", Alerts.resolved(warning))).contains(NotificationMuting.Reason.INHIBITED);
        DisruptionAlert unknown = Alerts.alert("older", "tariff-escalation", "850511", "permanent-magnets",
                io.chokepoint.events.avro.AlertState.FIRING, Severity.WARNING, Map.of());
        assertThat(arrive("hook", Alerts.resolved(unknown))).as("a lost all-clear keeps an alert open for ever").isEmpty();
    }
}
