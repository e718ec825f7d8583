package io.chokepoint.bench;

import io.chokepoint.streams.AbortedTransactionGuard;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Runs one topology under the given (exactly-once) properties over a pre-loaded input topic until
 * its committed offsets reach the end, and those on any other topic it reads (its own output,
 * read back) reach that topic's end too, and measures it: events/s from RUNNING to the input's last
 * commit and the time it then took to read back its own output,
 * records sent to output and to changelog topics (the clients' own send counters), bytes of state
 * on disk and heap growth after a full GC.
 */
final class TopologyRun {

    /**
     * @param seconds         from RUNNING until the input's offsets were committed: the rate's span, as for the baselines
     * @param readBackSeconds after that, until the topology had also read back its own output (0 when it reads none)
     */
    record Result(double seconds, double readBackSeconds, long inputRecords, long outputRecords, long changelogRecords, long stateBytes, long heapBytes,
                  Map<String, Long> sentByTopic) {
        double rate() {
            return inputRecords / seconds;
        }
    }

    private TopologyRun() {
    }

    static Result run(Topology topology, Properties props, Admin admin, String inputTopic, long inputRecords) throws Exception {
        String group = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Path stateDir = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        long heapBefore = usedHeapAfterGc();
        // the clients the streams application runs with (a transaction aborted under running tasks restarts them)
        try (KafkaStreams streams = new KafkaStreams(topology, props, new AbortedTransactionGuard())) {
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("the topology stopped: " + streams.state());
                }
                Thread.sleep(10);
            }
            long running = System.nanoTime();
            awaitCommitted(admin, group, inputTopic, inputRecords, streams);
            long inputDone = System.nanoTime();
            double seconds = (inputDone - running) / 1e9;
            // a topology that reads its own output (the window history reads the finals) has done its work once that is read too
            awaitCaughtUp(admin, group, inputTopic, streams);
            double readBack = (System.nanoTime() - inputDone) / 1e9;
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
            streams.close(Duration.ofSeconds(60));
            return new Result(seconds, readBack, inputRecords, output, changelog, directoryBytes(stateDir), heap, byTopic);
        }
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
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the topology stopped after " + sum + " of " + expected + " records: " + streams.state());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the topology did not process " + expected + " records within 30 minutes");
    }

    /** Waits until the group's committed offsets on every topic but the input reach the topics' last stable offsets. */
    private static void awaitCaughtUp(Admin admin, String group, String inputTopic, KafkaStreams streams) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> others = new java.util.HashMap<>();
            committed.forEach((tp, offset) -> {
                if (!tp.topic().equals(inputTopic) && offset != null) {
                    others.put(tp, OffsetSpec.latest());
                }
            });
            if (others.isEmpty()) {
                return;
            }
            var ends = admin.listOffsets(others, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            if (ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()).offset() >= e.getValue().offset())) {
                return;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the topology stopped before it read its own output: " + streams.state());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the topology did not read its own output within 10 minutes");
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
