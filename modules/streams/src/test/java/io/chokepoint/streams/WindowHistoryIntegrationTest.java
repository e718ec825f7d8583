package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The window history (the {@code delay-stats} store) has no changelog: a task refills it from the
 * finals topic when it starts. On the embedded broker under exactly-once, with three tasks, it must
 * serve exactly what it served before a restart, from an empty state directory and from one
 * that missed the finals another instance wrote since, down to the store's
 * retention edge: windows older than the newest final by the retention are not served.
 */
@ExtendWith(DevClusterExtension.class)
class WindowHistoryIntegrationTest {

    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(5);
    private static final List<String> COMMODITIES = List.of("850511", "850519", "280530", "810590", "854231", "841191");
    private static final int PARTITIONS = 3;

    @Test
    void theHistoryAfterARestartIsTheHistoryBeforeIt(DevCluster cluster) throws Exception {
        assertThat(COMMODITIES.stream().map(WindowHistoryIntegrationTest::partitionOf).distinct().count())
                .as("the commodities spread over several tasks").isGreaterThan(1);
        ChokepointConfig base = config(cluster);
        Topics topics = base.topics();
        try (Admin admin = Admin.create(base.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        Path first = Files.createTempDirectory("chokepoint-history-a");
        Path second = Files.createTempDirectory("chokepoint-history-b");
        List<CommodityDelayStats> finals = new ArrayList<>();
        try (KafkaProducer<String, ShipmentMilestone> producer = ClusterClients.milestoneProducer(base, topics);
             KafkaConsumer<String, CommodityDelayStats> stats = ClusterClients.statsReader(base, topics, topics.commodityDelayStats().name())) {

            // hours 0-4: windows from -01:00 to 02:00 close (the watermark 04:30 passes 02:00 + 2h + 10m), four per commodity
            Map<String, List<CommodityDelayStats>> served;
            try (StreamsRuntime a = running(base, first)) {
                sendHours(producer, topics, 0, 5);
                awaitFinals(stats, finals, COMMODITIES.size() * 4);
                served = awaitHistory(a, expected(finals));
            }
            // an empty state directory: the history is refilled
            try (StreamsRuntime b = running(base, second)) {
                assertThat(history(b)).isEqualTo(served);
                // hours 5-8 close windows to 06:00; the newest is 06:00, so 01:00 and older leave the history
                sendHours(producer, topics, 5, 9);
                awaitFinals(stats, finals, COMMODITIES.size() * 8);
                served = awaitHistory(b, expected(finals));
            }
            assertThat(served.values()).allSatisfy(windows -> assertThat(windows)
                    .extracting(s -> s.getWindowStart().toString())
                    .containsExactly("2025-04-01T02:00:00Z", "2025-04-01T03:00:00Z", "2025-04-01T04:00:00Z",
                            "2025-04-01T05:00:00Z", "2025-04-01T06:00:00Z"));
            // the first directory held the finals to 02:00 and none written since (under exactly-once Kafka Streams
            // may also wipe it, when a store lacks a checkpoint): the same history either way
            try (StreamsRuntime c = running(base, first)) {
                assertThat(history(c)).isEqualTo(served);
            }
        }
    }

    @Test
    void aFinalsTopicPartitionedUnlikeTheInputsIsReadWhole(DevCluster cluster) throws Exception {
        ChokepointConfig base = config(cluster);
        Topics topics = base.topics();
        try (Admin admin = Admin.create(base.kafkaClientProperties())) {
            // created by hand, not by `topics create` (which refuses it): two partitions against the inputs' three
            admin.createTopics(List.of(new NewTopic(topics.commodityDelayStats().name(), 2, (short) 1))).all().get();
            TopicProvisioner.createMissing(admin, topics.all(), (short) 1);
        }
        List<CommodityDelayStats> finals = new ArrayList<>();
        try (KafkaProducer<String, ShipmentMilestone> producer = ClusterClients.milestoneProducer(base, topics);
             KafkaConsumer<String, CommodityDelayStats> stats = ClusterClients.statsReader(base, topics, topics.commodityDelayStats().name())) {
            Map<String, List<CommodityDelayStats>> served;
            try (StreamsRuntime a = running(base, Files.createTempDirectory("chokepoint-history-c"))) {
                sendHours(producer, topics, 0, 5);
                awaitFinals(stats, finals, COMMODITIES.size() * 4);
                served = awaitHistory(a, expected(finals));
            }
            try (StreamsRuntime b = running(base, Files.createTempDirectory("chokepoint-history-d"))) {
                assertThat(history(b)).as("each task kept exactly its own commodities").isEqualTo(served);
            }
        }
    }

    private static ChokepointConfig config(DevCluster cluster) {
        String scope = UUID.randomUUID().toString().substring(0, 8);
        return cluster.config().with(Map.of(
                "topic.prefix", "wh" + scope + "-",
                "topic.partitions", String.valueOf(PARTITIONS),
                StreamsProperties.APPLICATION_ID, "wh-" + scope,
                StreamsSettings.WINDOW_SIZE, "2h",
                StreamsSettings.WINDOW_ADVANCE, "1h",
                StreamsSettings.WINDOW_GRACE, "10m",
                StreamsSettings.STORE_RETENTION, "5h",
                StreamsSettings.EMIT_INTERVAL, "200ms",
                "kafka.commit.interval.ms", "100",
                "kafka.session.timeout.ms", "6000"));
    }

    private static StreamsRuntime running(ChokepointConfig base, Path stateDir) {
        ChokepointConfig config = base.with(Map.of(StreamsProperties.STATE_DIR, stateDir.toString()));
        StreamsRuntime runtime = new StreamsRuntime(config, StreamsSettings.from(config));
        runtime.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.streams().state() == KafkaStreams.State.RUNNING);
        return runtime;
    }

    /** Every commodity's final windows in the history: the ones within the retention of the newest final. */
    private static Map<String, List<CommodityDelayStats>> expected(List<CommodityDelayStats> finals) {
        Instant newest = finals.stream().map(CommodityDelayStats::getWindowStart).max(Instant::compareTo).orElseThrow();
        Instant oldestKept = newest.minus(RETENTION).plusMillis(1);
        return finals.stream().filter(s -> !s.getWindowStart().isBefore(oldestKept))
                .collect(Collectors.groupingBy(s -> s.getHsCode().toString(), TreeMap::new, Collectors.toList()));
    }

    private static Map<String, List<CommodityDelayStats>> awaitHistory(StreamsRuntime runtime, Map<String, List<CommodityDelayStats>> expected) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(history(runtime)).isEqualTo(expected));
        return expected;
    }

    private static Map<String, List<CommodityDelayStats>> history(StreamsRuntime runtime) {
        Map<String, List<CommodityDelayStats>> history = new TreeMap<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            history.clear();
            for (String hs : COMMODITIES) {
                List<CommodityDelayStats> windows = runtime.queries().windows(hs, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
                if (!windows.isEmpty()) {
                    history.put(hs, windows);
                }
            }
            return true;
        });
        return history;
    }

    /** One milestone per commodity at half past each hour {@code from..to-1}, delays differing by commodity and hour. */
    private static void sendHours(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, int from, int to) throws Exception {
        for (int hour = from; hour < to; hour++) {
            for (int i = 0; i < COMMODITIES.size(); i++) {
                String hs = COMMODITIES.get(i);
                Instant actual = T0.plus(Duration.ofMinutes(hour * 60L + 30));
                Instant planned = actual.minus(Duration.ofMinutes(10L * (i + 1) + hour));
                ShipmentMilestone m = TopologyFixture.milestoneRecord(hs, hs + "-" + hour, Milestone.DEPARTED, planned, actual, "CN", "US");
                producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), null, actual.toEpochMilli(), hs, m));
            }
        }
        producer.flush();
    }

    private static void awaitFinals(KafkaConsumer<String, CommodityDelayStats> consumer, List<CommodityDelayStats> into, int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> into.add(r.value()));
            return into.size() >= count;
        });
        assertThat(into).hasSize(count);
    }

    private static int partitionOf(String hs) {
        return Utils.toPositive(Utils.murmur2(hs.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
