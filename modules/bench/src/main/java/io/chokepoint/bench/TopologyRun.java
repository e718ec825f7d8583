package io.chokepoint.bench;

import io.chokepoint.streams.AbortedTransactionGuard;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
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
 * its committed offsets reach the end, and measures it: events/s from RUNNING to the last commit,
 * records sent to output and to changelog topics (the clients' own send counters), bytes of state
 * on disk and heap growth after a full GC.
 */
final class TopologyRun {

    record Result(double seconds, long inputRecords, long outputRecords, long changelogRecords, long stateBytes, long heapBytes,
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
            double seconds = (System.nanoTime() - running) / 1e9;
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
            return new Result(seconds, inputRecords, output, changelog, directoryBytes(stateDir), heap, byTopic);
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
