package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.DispatcherProcess;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.devcluster.junit.ReliabilityReport;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook down for 60 s (connection refused) while the dispatcher delivering to it is killed
 * with SIGKILL and replaced by a new process, all with the default retry, circuit-breaker and
 * group settings: every alert reaches the webhook, at least once and exactly once after dedup by
 * its idempotency key — and, since the kill lands while nothing can be in flight, none twice — none
 * is dead-lettered, and every offset is committed.
 *
 * <p>Most of its minute is waiting, so it runs beside the module's other test classes.
 */
@ExtendWith(DevClusterExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class WebhookOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(60);
    /** When, into the outage, the first dispatcher is killed and its successor started. */
    private static final Duration KILL_AFTER = Duration.ofSeconds(10);
    private static final int PER_BATCH = 10;

    @Test
    void every_alert_reaches_a_webhook_that_was_down_for_a_minute_while_its_dispatcher_was_killed(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook ops = new FaultyWebhook()) {
            // one notification per alert, at once: a pager route; retries, breaker and the session timeout are the defaults
            String yaml = """
                    route:
                      receivers: [ops]
                      group_by: ['...']
                      group_wait: 0s
                    receivers:
                      - name: ops
                        webhook: {url: %s}
                    """.formatted(ops.url());
            Map<String, String> settings = new HashMap<>(bed.settings());
            settings.put(AlertsSettings.ROUTING_FILE, bed.routingFile(yaml).toString());
            Path props = DispatcherProcess.writeSettings(bed.dir().resolve("dispatcher.properties"), settings);
            Path log = bed.dir().resolve("dispatcher.log");
            List<DisruptionAlert> all = new ArrayList<>();
            Process first = DispatcherProcess.launch(props, log);
            Process second = null;
            try {
                all.addAll(produce(bed, "before-"));
                await().atMost(Duration.ofSeconds(60)).until(() -> ops.acceptedCounts().size() == PER_BATCH);
                // the webhook logs a 200 before the response leaves; going down before the dispatcher has read it would
                // cut responses and make a resend the sender cannot avoid: wait until those alerts are accounted for
                await().atMost(Duration.ofSeconds(30)).until(bed::everythingCommitted);

                ops.down();
                long downAt = System.nanoTime();
                all.addAll(produce(bed, "down-"));
                sleepUntil(downAt, KILL_AFTER);
                first.destroyForcibly().waitFor();
                all.addAll(produce(bed, "no-dispatcher-"));
                second = DispatcherProcess.launch(props, log);
                all.addAll(produce(bed, "successor-"));
                sleepUntil(downAt, OUTAGE);
                ops.up();
                long upAt = System.nanoTime();
                all.addAll(produce(bed, "after-"));

                List<String> expected = AlertsTestBed.keys(all);
                await().atMost(Duration.ofSeconds(150)).until(() -> ops.acceptedCounts().keySet().containsAll(expected));
                long recovered = System.nanoTime() - upAt;
                await().atMost(Duration.ofSeconds(30)).until(bed::everythingCommitted);

                Map<String, Integer> accepted = ops.acceptedCounts();
                int deliveries = accepted.values().stream().mapToInt(Integer::intValue).sum();
                System.out.printf("[webhook-outage] %d alerts, webhook down for %d s, dispatcher SIGKILLed %d s into it and replaced;"
                                + " all delivered %.1f s after the webhook came back; %d deliveries for %d alerts (%d duplicates before dedup),"
                                + " 0 dead letters%n", all.size(), OUTAGE.toSeconds(), KILL_AFTER.toSeconds(), recovered / 1e9,
                        deliveries, accepted.size(), deliveries - accepted.size());
                long t0 = ops.received().get(0).atMillis();
                accepted.forEach((key, n) -> {
                    if (n > 1) {
                        System.out.printf("[webhook-outage] %s accepted %d times, at %s ms%n", key, n, ops.received().stream()
                                .filter(r -> r.accepted() && r.alertKeys().contains(key)).map(r -> r.atMillis() - t0).toList());
                    }
                });
                long lost = expected.stream().filter(k -> !accepted.containsKey(k)).count();
                ReliabilityReport.of("webhook-outage", "A webhook down for " + OUTAGE.toSeconds() + " s while its dispatcher is killed (WebhookOutageTest)")
                        .table("alerts in", "faults", "delivered (distinct)", "duplicates before dedup", "dead letters", "lost",
                                "all delivered after the webhook came back")
                        .row(all.size(), "webhook down " + OUTAGE.toSeconds() + " s; dispatcher SIGKILLed " + KILL_AFTER.toSeconds()
                                        + " s into it and replaced", accepted.size(), deliveries - accepted.size(), bed.alertDeadLetters().size(),
                                lost, String.format("%.1f s", recovered / 1e9))
                        .write();
                assertThat(accepted.keySet()).as("every alert at least once, none invented").containsExactlyElementsOf(expected);
                // the kill came while nothing could be in flight (the webhook was down): the successor skips every alert already delivered
                assertThat(deliveries - accepted.size()).as("alerts delivered twice").isZero();
                assertThat(ops.received().stream().filter(r -> !r.accepted()))
                        .as("the webhook answered every request it saw with 2xx").isEmpty();
                assertThat(bed.alertDeadLetters()).as("nothing given up on").isEmpty();
                assertThat(second.isAlive()).as("the successor keeps running; its log:\n" + Files.readString(log)).isTrue();
            } finally {
                first.destroyForcibly().waitFor();
                if (second != null) {
                    second.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static List<DisruptionAlert> produce(AlertsTestBed bed, String prefix) {
        List<DisruptionAlert> batch = IntStream.range(0, PER_BATCH)
                .mapToObj(i -> Alerts.firing(prefix + i, String.format("85%04d", i), Severity.CRITICAL)).toList();
        bed.produce(batch.toArray(DisruptionAlert[]::new));
        return batch;
    }

    private static void sleepUntil(long fromNanos, Duration after) throws InterruptedException {
        long wait = fromNanos + after.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }
}
