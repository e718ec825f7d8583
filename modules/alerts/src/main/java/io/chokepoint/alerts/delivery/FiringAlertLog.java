package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.CompactedTopicView;
import io.chokepoint.alerts.grouping.FiringAlert;
import io.chokepoint.events.avro.DisruptionAlert;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The alerts still firing and when their group was last notified, beside the delivery progress
 * (key {@code firing|alertId}, value {@code {"partition":…,"notifiedAt":…,"alert":"<the record, base64>"}}),
 * so that {@code repeat_interval} reminders survive a restart or a rebalance: the new owner of a
 * partition of the alerts topic restores its firing alerts and their reminder clocks from here.
 * An entry is rewritten at every notification of its group (so the progress topic's expiry never
 * drops an alert while reminders keep coming) and deleted when the alert's RESOLVED is flushed.
 *
 * <p>Entries are encoded and sent on the log's own thread, in the order they were asked for (a
 * tombstone never overtakes the entry it deletes): encoding every firing alert on the dispatcher's
 * consumer thread took a third of that thread, which bounds how fast alerts are delivered.
 */
public final class FiringAlertLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FiringAlertLog.class);
    private static final String PREFIX = "firing|";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A firing alert as recorded. */
    public record Recorded(DisruptionAlert alert, TopicPartition partition, long notifiedAt) {
    }

    private final CompactedTopicView view;
    private final Serde<DisruptionAlert> serde;
    private final Serializer<DisruptionAlert> serializer;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alerts-firing-log");
        t.setDaemon(true);
        return t;
    });

    public FiringAlertLog(CompactedTopicView view, Serde<DisruptionAlert> serde) {
        this.view = view;
        this.serde = serde;
        this.serializer = serde.serializer();
    }

    /**
     * Records that these alerts are firing and their group was notified at {@code at}, and forgets
     * the resolved ones; completes once the broker has both.
     */
    public CompletableFuture<Void> notified(Collection<FiringAlert> firing, long at, Collection<String> resolvedAlertIds) {
        if (firing.isEmpty() && resolvedAlertIds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<FiringAlert> copy = List.copyOf(firing);
        List<String> resolved = List.copyOf(resolvedAlertIds);
        try {
            return CompletableFuture.supplyAsync(() -> {
                Map<String, String> entries = entries(copy, at);
                resolved.forEach(id -> entries.put(PREFIX + id, null));
                return view.putAllAsync(entries);
            }, writer).thenCompose(written -> written);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the firing-alert log is closed"));
        }
    }

    private Map<String, String> entries(Collection<FiringAlert> firing, long at) {
        Map<String, String> entries = new HashMap<>();
        for (FiringAlert f : firing) {
            DisruptionAlert a = f.alert().alert();
            // written by hand, not through a JSON tree: numbers and base64 need no escaping, and this runs once per alert
            String alert = Base64.getEncoder().encodeToString(serializer.serialize(f.partition().topic(), a));
            entries.put(PREFIX + a.getAlertId(),
                    "{\"partition\":" + f.partition().partition() + ",\"notifiedAt\":" + at + ",\"alert\":\"" + alert + "\"}");
        }
        return entries;
    }

    /** The firing alerts recorded for these partitions of the alerts topic. */
    public List<Recorded> firingIn(Collection<TopicPartition> partitions) {
        List<Recorded> out = new ArrayList<>();
        view.withPrefix(PREFIX).forEach((key, value) -> {
            try {
                JsonNode node = JSON.readTree(value);
                for (TopicPartition tp : partitions) {
                    if (tp.partition() == node.path("partition").asInt(-1)) {
                        DisruptionAlert alert = serde.deserializer().deserialize(tp.topic(), Base64.getDecoder().decode(node.path("alert").asText()));
                        out.add(new Recorded(alert, tp, node.path("notifiedAt").asLong()));
                    }
                }
            } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                // a reminder lost is better than a dispatcher that cannot start
                log.warn("firing alert {} cannot be restored, so it gets no more reminders: {}", key.substring(PREFIX.length()), e.getMessage());
            }
        });
        return out;
    }

    /** Lets what was asked for be sent (the dispatcher waits for it before it commits), then stops the thread. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
