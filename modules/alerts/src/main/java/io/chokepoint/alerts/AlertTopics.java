package io.chokepoint.alerts;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two topics the alert dispatcher owns (until they join the events topic catalogue):
 * <ul>
 *   <li>{@code alert-silences}: 1 partition, {@code cleanup.policy=compact}; key = silence id,
 *       value = silence JSON. Small, kept forever (expired silences stay listable).</li>
 *   <li>{@code alert-deliveries}: as many partitions as the other topics,
 *       {@code cleanup.policy=compact,delete}, {@code retention.ms} = 7 days by default; key =
 *       {@code receiver|alertId:state}, value = outcome JSON. Only needed until the offset of the
 *       alert is committed, so old entries may go.</li>
 * </ul>
 */
public final class AlertTopics {

    private AlertTopics() {
    }

    public static List<NewTopic> newTopics(AlertsSettings settings, short replication) {
        return List.of(
                new NewTopic(settings.silencesTopic(), 1, replication).configs(Map.of(
                        "cleanup.policy", "compact",
                        "retention.ms", "-1")),
                new NewTopic(settings.deliveriesTopic(), settings.deliveriesPartitions(), replication).configs(Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", Long.toString(settings.deliveriesRetention().toMillis()))));
    }

    /** Creates the topics if missing; existing ones are left as they are. */
    public static void ensure(Admin admin, AlertsSettings settings, short replication) {
        for (NewTopic topic : newTopics(settings, replication)) {
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic '" + topic.name() + "': " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic '" + topic.name() + "' took over 30 s; is the broker reachable?");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic '" + topic.name() + "'");
            }
        }
    }
}
