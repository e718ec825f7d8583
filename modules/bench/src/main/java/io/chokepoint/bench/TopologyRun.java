package io.chokepoint.bench;

import io.chokepoint.streams.AbortedTransactionGuard;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs one topology under the given (exactly-once) properties over a pre-loaded input topic until
 * its committed offsets reach the end, and measures it: events/s from RUNNING to the last commit,
 * records sent to output and to changelog topics (the clients' own send counters), bytes of state
 * on disk and heap growth after a full GC.
 */
final class TopologyRun {

    /** @param historyRecords records in the window store named to {@link #run} when it finished (0 when none was named) */
    record Result(CpuUse cpu, long inputRecords, long outputRecords, long changelogRecords, long stateBytes, long heapBytes,
                  Map<String, Long> sentByTopic, long historyRecords) {
        double seconds() {
            return cpu.wallSeconds();
        }

        double rate() {
            return inputRecords / seconds();
        }
    }

    private TopologyRun() {
    }

    /** The time a restarted instance took until every task ran and its window history was whole again, and what it read. */
    record Recovery(double seconds, long restoredChangelogRecords, long historyRecords) {
    }

    static Result run(Topology topology, Properties props, Admin admin, String inputTopic, long inputRecords) throws Exception {
        return run(topology, props, admin, inputTopic, inputRecords, null);
    }

    /** @param historyStore a window store whose records are counted at the end (for {@link #recover}), or null */
    static Result run(Topology topology, Properties props, Admin admin, String inputTopic, long inputRecords, String historyStore)
            throws Exception {
        String group = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Path stateDir = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        long heapBefore = usedHeapAfterGc();
        // the clients the streams application runs with (a transaction aborted under running tasks restarts them)
        try (KafkaStreams streams = new KafkaStreams(topology, props, new AbortedTransactionGuard())) {
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (stopped(streams)) {
                    throw new IllegalStateException("the topology stopped: " + streams.state());
                }
                Thread.sleep(10);
            }
            CpuUse.Mark running = CpuUse.mark(t -> t.getName().contains(group)); // stream threads and their clients
            awaitCommitted(admin, group, inputTopic, inputRecords, streams);
            CpuUse cpu = running.since();
            long heap = Math.max(0, usedHeapAfterGc() - heapBefore);
            long output = 0;
            long changelog = 0;
            Map<String, Long> byTopic = new java.util.TreeMap<>();
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                MetricName name = e.getKey();
                if (name.group().equals("producer-topic-metrics") && name.name().equals("record-send-total")) {
                    long sent = Math.round(((Number) e.getValue().metricValue()).doubleValue());
                    String topic = name.tags().getOrDefault("topic", "");
                    byTopic.merge(topic, sent, Long::sum);
                    if (topic.endsWith("-changelog")) {
                        changelog += sent;
                    } else if (!topic.endsWith("-repartition")) {
                        output += sent;
                    }
                }
            }
            long history = historyStore == null ? 0 : windowRecords(streams, historyStore);
            close(streams);
            return new Result(cpu, inputRecords, output, changelog, directoryBytes(stateDir), heap, byTopic, history);
        }
    }

    /**
     * Starts the topology again, as the application of {@code props} (whose state directory is a new,
     * empty one), as after a lost disk: every store is restored from its changelog and the window
     * history {@code historyStore} refilled from the finals topic until it holds {@code historyRecords}.
     */
    static Recovery recover(Topology topology, Properties props, String historyStore, long historyRecords) throws Exception {
        AtomicLong restored = new AtomicLong();
        try (KafkaStreams streams = new KafkaStreams(topology, props, new AbortedTransactionGuard())) {
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
                }

                @Override
                public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long numRestored) {
                    restored.addAndGet(numRestored);
                }

                @Override
                public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
                }
            });
            long started = System.nanoTime();
            streams.start();
            long deadline = started + Duration.ofMinutes(10).toNanos();
            long history = -1;
            while (history < historyRecords) {
                if (System.nanoTime() > deadline || stopped(streams)) {
                    throw new IllegalStateException("the restarted topology did not bring back its window history: " + history
                            + " of " + historyRecords + " records, state " + streams.state());
                }
                Thread.sleep(20);
                try {
                    history = windowRecords(streams, historyStore);
                } catch (InvalidStateStoreException notYet) {
                    history = -1; // a task still restoring
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            close(streams);
            return new Recovery(seconds, restored.get(), history);
        }
    }

    private static boolean stopped(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING;
    }

    /** Leaves the group, as {@code chokepoint streams} does: the next instance would otherwise wait out the session timeout (45 s). */
    private static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    private static long windowRecords(KafkaStreams streams, String store) {
        var windows = streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.<Object, Object>windowStore()));
        long count = 0;
        try (var all = windows.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private static void awaitCommitted(Admin admin, String group, String topic, long expected, KafkaStreams streams) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long sum = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
            if (sum >= expected) {
                return;
            }
            if (stopped(streams)) {
                throw new IllegalStateException("the topology stopped after " + sum + " of " + expected + " records: " + streams.state());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the topology did not process " + expected + " records within 30 minutes");
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long directoryBytes(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
