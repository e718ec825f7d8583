package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.routing.ReceiverSpec;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.routing.RoutingConfigException;
import io.chokepoint.alerts.routing.RoutingConfigLoader;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console receiver: one line per alert a person can read at a glance. */
class ConsoleReceiverTest {

    private static Notification of(boolean repeat, DisruptionAlert... alerts) {
        List<PendingAlert> pending = java.util.Arrays.stream(alerts)
                .map(a -> new PendingAlert(a, AlertLabels.of(a), Set.of("console"), null)).toList();
        return Notification.of("console", "{}", Map.of(), pending, repeat, 0);
    }

    @Test
    void eachAlertOfANotificationIsOneLineWithStateSeverityCommodityRuleAndFigures() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReceiver console = new ConsoleReceiver("console", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        DisruptionAlert magnets = Alerts.firing("a1", "850511", Severity.CRITICAL);
        DisruptionAlert metals = DisruptionAlert.newBuilder(Alerts.firing("a2", "280530", Severity.WARNING))
                .setExplanation("p95 delay\n  72.5 h > 48 h").setObservedValue(50.125).build();

        console.deliver(of(false, magnets, Alerts.resolved(metals)));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).containsExactly(
                "2026-04-10 08:00Z FIRING   CRITICAL 850511 permanent magnets — p95-delay-critical: p95DelayHours 72.50 (threshold 48)"
                        + " — p95 delay 72.5 h > 48 h for 850511 after export-licence tightening",
                "2026-04-10 09:00Z RESOLVED WARNING  280530 commodity 280530 — p95-delay-warning: p95DelayHours 50.13 (threshold 36)"
                        + " — p95 delay 72.5 h > 48 h");
    }

    @Test
    void aReminderOfAFiringAlertSaysItIsStillFiring() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReceiver("console", new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .deliver(of(true, Alerts.firing("a1", "850511", Severity.CRITICAL)));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("(threshold 48) (still firing) — ");
    }

    @Test
    void aClosedStandardOutputIsARetryableFailureNotALostAlert() {
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        }, true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new ConsoleReceiver("console", broken).deliver(of(false, Alerts.firing("a1", "850511", Severity.CRITICAL))))
                .isInstanceOf(DeliveryFailure.class).hasMessageContaining("standard output");
    }

    @Test
    void theRoutingFileDeclaresItAsConsoleWithOrWithoutAnEmptyMapping() {
        for (String declaration : List.of("console: {}", "console:")) {
            RoutingConfig config = RoutingConfigLoader.parse("""
                    route: {receiver: people}
                    receivers:
                      - name: people
                        %s
                    """.formatted(declaration), "routing.yaml", key -> Optional.empty());
            ReceiverSpec spec = config.receivers().get("people");
            assertThat(spec.target()).as(declaration).isInstanceOf(ReceiverSpec.Console.class);
            assertThat(spec.concurrency()).as("lines stay in order").isEqualTo(1);
        }
        assertThatThrownBy(() -> RoutingConfigLoader.parse("""
                route: {receiver: people}
                receivers:
                  - name: people
                    console: {colour: true}
                """, "routing.yaml", key -> Optional.empty()))
                .isInstanceOf(RoutingConfigException.class).hasMessageContaining("routing.yaml:4").hasMessageContaining("unknown field");
    }
}
