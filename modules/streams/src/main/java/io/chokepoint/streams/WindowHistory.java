package io.chokepoint.streams;

import io.chokepoint.events.avro.CommodityDelayStats;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refills a task's window history (the {@code delay-stats} store, which has no changelog) from the
 * finals topic when the task starts: the finals are already on {@code commodity-delay-stats}, so
 * a changelog of them would be a second copy, and it was 0.70 of the 1.77 changelog writes per
 * input record. Unlike a restore with the finals topic as the changelog, which reads the topic's
 * whole retention (months), only the store's retention is read: the topic's time index finds its
 * start, as a final's timestamp is its window's end.
 *
 * <p>Reads what is committed (the task's own aborted output is skipped) up to the end the topic
 * has when the task starts; the task's later finals go to the store as it writes them. A local
 * store that survived a clean shutdown is refilled too (puts of the same window are idempotent):
 * it may lack finals another instance wrote while it owned the task.
 *
 * <p>The history serves queries only, and the task's alerts must not wait on it: a read that
 * fails or exceeds {@link #TIMEOUT} leaves the history incomplete with a warning, and the task runs on.
 */
final class WindowHistory {

    private static final Logger LOG = LoggerFactory.getLogger(WindowHistory.class);
    /** The whole refill's limit: well below {@code max.poll.interval.ms} (5 minutes), which the stream thread must not exceed. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String finalsTopic;
    private final String inputTopic;
    private final Deserializer<CommodityDelayStats> reader;
    private final long windowSizeMs;
    private final Duration timeout;

    /**
     * @param inputTopic a topic the task reads: its partition count tells which finals keys belong to the task
     */
    WindowHistory(String finalsTopic, String inputTopic, Deserializer<CommodityDelayStats> reader, Duration windowSize) {
        this(finalsTopic, inputTopic, reader, windowSize, TIMEOUT);
    }

    WindowHistory(String finalsTopic, String inputTopic, Deserializer<CommodityDelayStats> reader, Duration windowSize, Duration timeout) {
        this.timeout = timeout;
        this.finalsTopic = finalsTopic;
        this.inputTopic = inputTopic;
        this.reader = reader;
        this.windowSizeMs = windowSize.toMillis();
    }

    /**
     * Puts every committed final of the task's commodities whose window starts at or after
     * {@code fromWindowStart} into {@code store}; returns how many.
     */
    int refill(Map<String, Object> appConfigs, TaskId task, WindowStore<String, CommodityDelayStats> store, long fromWindowStart) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Map<String, Object> props = new StreamsConfig(appConfigs).getRestoreConsumerConfigs("chokepoint-window-history-" + task);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the end offset lies past a transaction marker, which a fetch crosses only after waiting for records that never come
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        int put = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int inputPartitions = consumer.partitionsFor(inputTopic, left(deadline)).size();
            List<TopicPartition> partitions = partitionsHolding(consumer.partitionsFor(finalsTopic, left(deadline)), task.partition(), inputPartitions);
            // a final's timestamp is its window's end - 1: the first with a later one starts the history
            long since = fromWindowStart + windowSizeMs - 1;
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, since));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, left(deadline));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, left(deadline));
            Set<TopicPartition> remaining = new HashSet<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    remaining.add(tp);
                }
            }
            consumer.assign(remaining);
            remaining.forEach(tp -> consumer.seek(tp, starts.get(tp).offset()));
            int unreadable = 0;
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("task {}: the window history stopped after {} finals: {} did not reach its end within {} s; "
                                    + "the query API lacks the older closed windows of this task's commodities until they leave the history",
                            task, put, finalsTopic, timeout.toSeconds());
                    return put;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.key() == null || Utils.toPositive(Utils.murmur2(record.key())) % inputPartitions != task.partition()) {
                        continue; // another task's commodity (the finals topic is partitioned differently from the inputs)
                    }
                    CommodityDelayStats stats;
                    try {
                        stats = reader.deserialize(record.topic(), record.headers(), record.value());
                    } catch (RuntimeException e) {
                        unreadable++;
                        continue;
                    }
                    long windowStart = stats.getWindowStart().toEpochMilli();
                    if (windowStart >= fromWindowStart) {
                        store.put(new String(record.key(), StandardCharsets.UTF_8), stats, windowStart);
                        put++;
                    }
                }
                remaining.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            }
            if (unreadable > 0) {
                LOG.warn("task {}: {} record(s) of {} could not be read and are missing from the window history", task, unreadable, finalsTopic);
            }
        } catch (KafkaException e) {
            LOG.warn("task {}: the window history could not be read from {} ({}); the query API lacks the closed windows "
                    + "this task wrote before it started, until they leave the history", task, finalsTopic, StreamsRuntime.rootMessage(e));
            return put;
        }
        LOG.info("task {}: window history refilled with {} finals from {} in {} ms", task, put, finalsTopic,
                (System.nanoTime() - started) / 1_000_000);
        return put;
    }

    /** The time left until {@code deadline} (at least a millisecond: a client call with no time at all throws at once). */
    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** The finals partitions that can hold a commodity of input partition {@code partition}: the same one when the counts agree. */
    private static List<TopicPartition> partitionsHolding(List<PartitionInfo> finals, int partition, int inputPartitions) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo info : finals) {
            if (finals.size() != inputPartitions || info.partition() == partition) {
                out.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        return out;
    }
}
