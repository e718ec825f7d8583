package io.chokepoint.alerts.grouping;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.alerts.support.FaultyWebhook.Received;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code repeat_interval} reminders survive a restart: the dispatcher that takes over keeps
 * reminding of an alert that fired before it started (without sending its FIRING again), on the
 * clock of the last notification, and stops once the alert resolved.
 */
@ExtendWith(DevClusterExtension.class)
class RemindersAcrossRestartsTest {

    @Test
    void a_restarted_dispatcher_keeps_reminding_of_still_firing_alerts_and_not_of_resolved_ones(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook hook = new FaultyWebhook()) {
            String yaml = """
                    route: {receiver: hook, group_by: ['...'], group_wait: 0s, group_interval: 1s, repeat_interval: 4s}
                    receivers:
                      - name: hook
                        webhook: {url: %s}
                    """.formatted(hook.url());
            var config = bed.config().with(Map.of(AlertsSettings.ROUTING_FILE, bed.routingFile(yaml).toString()));
            DisruptionAlert burning = Alerts.firing("burning", "280530", Severity.CRITICAL);
            DisruptionAlert cooled = Alerts.firing("cooled", "850511", Severity.WARNING);

            try (AlertsService first = AlertsService.start(config, System.out)) {
                bed.produce(burning, cooled);
                await().atMost(Duration.ofSeconds(30)).until(() -> hook.acceptedCounts().keySet().containsAll(AlertsTestBed.keys(List.of(burning, cooled))));
                await().atMost(Duration.ofSeconds(20)).until(bed::everythingCommitted);
                assertThat(first.failure()).isEmpty();
            }
            int beforeRestart = hook.received().size();

            long readyAt;
            try (AlertsService second = AlertsService.start(config, System.out)) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(second::ready);
                readyAt = System.currentTimeMillis();
                bed.produce(Alerts.resolved(cooled));
                await().atMost(Duration.ofSeconds(30)).until(() -> reminders(hook, "burning").size() >= 2);
                assertThat(second.failure()).isEmpty();
            }
            List<Received> after = hook.received().subList(beforeRestart, hook.received().size());
            assertThat(after).as("the FIRING is not sent again").noneMatch(r -> body(r).contains("\"repeat\":false")
                    && body(r).contains("burning"));
            assertThat(reminders(hook, "burning").get(0).atMillis())
                    .as("the first reminder after the restart is due on the clock of the last notification, not a fresh one")
                    .isLessThan(readyAt + 4_000);
            assertThat(after.stream().filter(r -> body(r).contains("\"repeat\":true") && body(r).contains("cooled")))
                    .as("no reminder of an alert resolved after the restart, once its RESOLVED was sent")
                    .allMatch(r -> r.atMillis() < resolvedAt(hook, "cooled"));
        }
    }

    private static List<Received> reminders(FaultyWebhook hook, String alertId) {
        return hook.received().stream().filter(r -> body(r).contains("\"repeat\":true") && body(r).contains(alertId)).toList();
    }

    private static long resolvedAt(FaultyWebhook hook, String alertId) {
        return hook.received().stream().filter(r -> body(r).contains(alertId) && body(r).contains("\"status\":\"resolved\""))
                .mapToLong(Received::atMillis).min().orElseThrow();
    }

    private static String body(Received r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
