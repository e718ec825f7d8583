package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InhibitorTest {

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

    void observe(DisruptionAlert a) {
        inhibitor.observe(a, AlertLabels.of(a));
    }

    boolean inhibited(DisruptionAlert a) {
        return inhibitor.inhibited(a.getAlertId(), AlertLabels.of(a));
    }

    @Test
    void a_critical_for_a_commodity_mutes_its_warnings_only() {
        DisruptionAlert critical = Alerts.firing("c1", "850511", Severity.CRITICAL);
        DisruptionAlert warningSame = Alerts.firing("w1", "850511", Severity.WARNING);
        DisruptionAlert warningOther = Alerts.firing("w2", "280530", Severity.WARNING);
        observe(critical);
        observe(warningSame);
        observe(warningOther);

        assertThat(inhibited(warningSame)).isTrue();
        assertThat(inhibited(warningOther)).isFalse();
        assertThat(inhibited(critical)).isFalse();
    }

    @Test
    void once_the_critical_resolves_the_warnings_are_heard_again() {
        DisruptionAlert critical = Alerts.firing("c1", "850511", Severity.CRITICAL);
        DisruptionAlert warning = Alerts.firing("w1", "850511", Severity.WARNING);
        observe(critical);
        observe(Alerts.resolved(critical));

        assertThat(inhibited(warning)).isFalse();
        assertThat(List.of(config.inhibitRules().get(0).equal())).containsExactly(List.of("hs_code"));
    }
}
