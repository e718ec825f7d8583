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
    void eachAlertOfANotificationIsOneLineWithStateSeverityRuleAndTheRulesSummary() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReceiver console = new ConsoleReceiver("console", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        DisruptionAlert magnets = Alerts.firing("a1", "850511", Severity.CRITICAL);
        DisruptionAlert metals = DisruptionAlert.newBuilder(Alerts.firing("a2", "280530", Severity.WARNING))
                .setAnnotations(Map.of("summary", "Rare-earth metals (280530):\n  p95 delay 50.1 h > 48 h")).build();
        DisruptionAlert unsummarised = DisruptionAlert.newBuilder(Alerts.firing("a3", "280530", Severity.WARNING))
                .setAnnotations(Map.of("runbook", "call the supplier")).setObservedValue(50.125).build();

        console.deliver(of(false, magnets, Alerts.resolved(metals), unsummarised));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).containsExactly(
                "2026-04-10 08:00Z FIRING   CRITICAL p95-delay-critical — Delays building for 850511",
                "2026-04-10 09:00Z RESOLVED WARNING  p95-delay-warning — Rare-earth metals (280530): p95 delay 50.1 h > 48 h",
                "2026-04-10 08:00Z FIRING   WARNING  p95-delay-warning — 280530 commodity 280530: p95DelayHours 50.13 (threshold 48)");
    }

    @Test
    void aReminderOfAFiringAlertSaysItIsStillFiring() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReceiver("console", new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .deliver(of(true, Alerts.firing("a1", "850511", Severity.CRITICAL)));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("Delays building for 850511 (still firing)\n");
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
