package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.alerts.support.FaultyWebhook.Fault;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Given one receiver that is down and one group of another receiver in a long back-off, every
 * other delivery still arrives at once: back-off is scheduled, never slept on a thread that other
 * groups or receivers need. Measured by delivery times, with generous bounds.
 */
@ExtendWith(DevClusterExtension.class)
class ReceiverIsolationTest {

    static final long BACKOFF_MS = 4_000;

    @Test
    @SuppressWarnings("try") // the dispatcher only has to run during the body and be closed after it
    void an_outage_or_a_back_off_delays_only_its_own_group(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook down = new FaultyWebhook();
             FaultyWebhook hook = new FaultyWebhook()) {
            down.down();
            hook.script(Fault.SERVER_ERROR); // the first notification's first attempt: then one long back-off
            String yaml = """
                    route:
                      receivers: [down, hook]
                      group_by: ['...']
                      group_wait: 0s
                    receivers:
                      - name: down
                        webhook: {url: %s, connect_timeout: 500ms}
                        retry: {max_attempts: 1000, initial_backoff: 50ms, max_backoff: 100ms, jitter: 0}
                        circuit_breaker: {open_for: 100ms}
                      - name: hook
                        webhook: {url: %s}
                        concurrency: 1
                        retry: {max_attempts: 3, initial_backoff: %dms, jitter: 0}
                    """.formatted(down.url(), hook.url(), BACKOFF_MS);
            try (AlertsService service = bed.startDispatcher(yaml)) {
                bed.produce(Alerts.firing("slow-0", "850500", Severity.WARNING));
                await().atMost(Duration.ofSeconds(10)).until(() -> hook.received().size() == 1);
                long backOffFrom = hook.received().get(0).atMillis();

                List<DisruptionAlert> others = IntStream.range(1, 21)
                        .mapToObj(i -> Alerts.firing("quick-" + i, String.format("85%04d", i), Severity.WARNING)).toList();
                long producedAt = System.currentTimeMillis();
                bed.produce(others.toArray(DisruptionAlert[]::new));
                await().atMost(Duration.ofSeconds(10)).until(() -> hook.acceptedCounts().size() == 21);

                List<Long> quick = hook.received().stream().filter(r -> r.accepted() && r.alertKeys().get(0).startsWith("quick-"))
                        .map(FaultyWebhook.Received::atMillis).toList();
                long slowAt = hook.received().stream().filter(r -> r.accepted() && r.alertKeys().get(0).startsWith("slow-"))
                        .mapToLong(FaultyWebhook.Received::atMillis).findFirst().orElseThrow();
                assertThat(quick).hasSize(20);
                assertThat(quick).as("even with one slot in flight, the other groups do not wait out the back-off or the outage")
                        .allSatisfy(at -> assertThat(at - producedAt).isLessThan(BACKOFF_MS / 2));
                assertThat(slowAt - backOffFrom).as("the failed group itself waited its back-off").isGreaterThanOrEqualTo(BACKOFF_MS - 100);
                assertThat(down.received()).isEmpty();
            }
        }
    }
}
