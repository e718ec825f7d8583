package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.DispatcherProcess;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.alerts.support.FaultyWebhook.Fault;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dispatcher process is SIGKILLed while one receiver is mid-retry; a new one takes over. Nothing
 * is lost, and the receiver that had already succeeded is not sent anything again.
 */
@ExtendWith(DevClusterExtension.class)
class KillAndRestartTest {

    @Test
    void a_dispatcher_killed_mid_retry_loses_nothing_and_does_not_resend_to_receivers_that_succeeded(DevCluster cluster) throws Exception {
        // the killed member never says goodbye: the group waits session.timeout.ms before reassigning its partitions
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of("kafka.session.timeout.ms", "6000",
                "kafka.heartbeat.interval.ms", "1000"));
             FaultyWebhook stuck = new FaultyWebhook().otherwise(Fault.SERVER_ERROR);
             FaultyWebhook steady = new FaultyWebhook()) {
            String yaml = """
                    route:
                      receivers: [stuck, steady]
                      group_by: ['...']
                      group_wait: 0s
                    receivers:
                      - name: stuck
                        webhook: {url: %s}
                        retry: {max_attempts: 1000, initial_backoff: 50ms, max_backoff: 200ms}
                        circuit_breaker: {open_for: 200ms}
                      - name: steady
                        webhook: {url: %s}
                    """.formatted(stuck.url(), steady.url());
            Map<String, String> settings = new HashMap<>(bed.settings());
            settings.put(AlertsSettings.ROUTING_FILE, bed.routingFile(yaml).toString());
            Path props = DispatcherProcess.writeSettings(bed.dir().resolve("dispatcher.properties"), settings);
            List<DisruptionAlert> alerts = IntStream.range(0, 20)
                    .mapToObj(i -> Alerts.firing("kill-" + i, String.format("28%04d", i), Severity.CRITICAL)).toList();
            List<String> expected = AlertsTestBed.keys(alerts);

            Path log = bed.dir().resolve("dispatcher.log");
            Process child = DispatcherProcess.launch(props, log);
            try {
                bed.produce(alerts.toArray(DisruptionAlert[]::new));
                await().atMost(Duration.ofSeconds(60)).until(() -> steady.acceptedCounts().size() == 20);
                await().atMost(Duration.ofSeconds(20)).until(() -> stuck.received().size() >= 15);
                Thread.sleep(1_000); // let the last progress record of 'steady' land before the kill
            } finally {
                child.destroyForcibly().waitFor();
            }
            assertThat(child.exitValue()).as("killed, not exited").isNotZero();
            assertThat(stuck.acceptedCounts()).isEmpty();
            assertThat(bed.everythingCommitted()).as("nothing committed for alerts 'stuck' never got").isFalse();

            stuck.otherwise(Fault.OK);
            try (AlertsService restarted = AlertsService.start(bed.config().with(settings), System.out)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> stuck.acceptedCounts().keySet().containsAll(expected));
                await().atMost(Duration.ofSeconds(20)).until(bed::everythingCommitted);

                assertThat(stuck.acceptedCounts().keySet()).containsExactlyElementsOf(expected);
                assertThat(stuck.acceptedCounts().values()).allMatch(n -> n == 1);
                assertThat(steady.received()).as("no resend to the receiver that already succeeded").hasSize(20);
                assertThat(bed.alertDeadLetters()).isEmpty();
                assertThat(restarted.failure()).isEmpty();
            }
        }
    }
}
