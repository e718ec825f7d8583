package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routing file is reloaded when it changes: a file with a mistake keeps the running tree (and
 * delivery goes on by it); a valid one replaces it without a restart, new receivers included.
 */
@ExtendWith(DevClusterExtension.class)
class RoutingReloadTest {

    static String routeTo(String receiver, FaultyWebhook a, FaultyWebhook b) {
        return """
                route: {receiver: %s, group_by: ['...'], group_wait: 0s}
                receivers:
                  - name: first
                    webhook: {url: %s}
                  - name: second
                    webhook: {url: %s}
                """.formatted(receiver, a.url(), b.url());
    }

    @Test
    void a_bad_file_keeps_delivering_on_the_old_tree_and_a_good_one_replaces_it(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook first = new FaultyWebhook();
             FaultyWebhook second = new FaultyWebhook()) {
            Path file = bed.routingFile("""
                    route: {receiver: first, group_by: ['...'], group_wait: 0s}
                    receivers:
                      - name: first
                        webhook: {url: %s}
                    """.formatted(first.url()));
            try (AlertsService service = AlertsService.start(bed.config().with(Map.of(AlertsSettings.ROUTING_FILE, file.toString())),
                    System.out)) {
                await().atMost(Duration.ofSeconds(30)).until(service::ready);

                // a mistake: the route names a receiver the file does not define
                Files.writeString(file, routeTo("thrid", first, second));
                Thread.sleep(2_500); // more than the check period: the reload was tried and refused
                bed.produce(Alerts.firing("during-bad-file", "850511", Severity.WARNING));
                await().atMost(Duration.ofSeconds(10)).until(() -> first.acceptedCounts().containsKey("during-bad-file:firing"));

                // fixed, now routing to a receiver the first file did not have
                Files.writeString(file, routeTo("second", first, second));
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    bed.produce(Alerts.firing("after-" + System.nanoTime(), "850511", Severity.WARNING));
                    return !second.acceptedCounts().isEmpty();
                });
                assertThat(second.acceptedCounts().keySet()).allMatch(k -> k.startsWith("after-"));
                assertThat(service.failure()).isEmpty();
                // the receiver the reload added is reported like the others
                assertThat(service.registry().find("chokepoint.alerts.queue.depth").tag("receiver", "second").gauge()).isNotNull();
                assertThat(service.registry().find("chokepoint.alerts.circuit.open").tag("receiver", "second").gauge().value()).isZero();
            }
        }
    }
    @Test
    void each_reload_that_changes_a_receiver_closes_its_previous_http_client_once_drained(DevCluster cluster) throws Exception {
        String receiver = "reloaded-" + Long.toHexString(System.nanoTime());
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook hook = new FaultyWebhook()) {
            Path file = bed.routingFile(withAttempts(receiver, hook, 2));
            try (AlertsService service = AlertsService.start(bed.config().with(Map.of(AlertsSettings.ROUTING_FILE, file.toString())),
                    System.out)) {
                await().atMost(Duration.ofSeconds(30)).until(service::ready);
                for (int attempts = 3; attempts <= 7; attempts++) {
                    Files.writeString(file, withAttempts(receiver, hook, attempts));
                    Thread.sleep(2_500); // more than the check period: the changed receiver got a new queue and client
                    String alert = "after-reload-" + attempts;
                    bed.produce(Alerts.firing(alert, "850511", Severity.WARNING));
                    await().atMost(Duration.ofSeconds(10)).until(() -> hook.acceptedCounts().containsKey(alert + ":firing"));
                }
                // five reloads changed the receiver: each retired client is closed once its queue is drained, one is left
                await().atMost(Duration.ofSeconds(20)).until(() -> clientsOf(receiver) == 1);
                assertThat(service.failure()).isEmpty();
            }
        }
    }

    private static String withAttempts(String receiver, FaultyWebhook hook, int attempts) {
        return """
                route: {receiver: %s, group_by: ['...'], group_wait: 0s}
                receivers:
                  - name: %s
                    webhook: {url: %s}
                    retry: {max_attempts: %d}
                """.formatted(receiver, receiver, hook.url(), attempts);
    }

    /** HTTP clients of a receiver alive in this JVM: each has one timeout thread named for the receiver. */
    private static long clientsOf(String receiver) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("chokepoint-http-timeouts-" + receiver)).count();
    }

}
