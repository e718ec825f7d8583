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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the embedded broker under exactly-once: the application stops after a window's final, and a
 * new instance — with an empty state directory, so every store is restored from its changelog and
 * the timer index rebuilt — carries on. Every window gets exactly one final; a milestone re-sent
 * after the restart is still recognised as a repeat; the live view is on its own topic; the window
 *  history the dashboard queries is refilled from the finals topic.
 */
@ExtendWith(DevClusterExtension.class)
class RestartIntegrationTest {

    private static final String MAGNETS = "850511";
    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");

    @Test
    void exactlyOneFinalPerWindowAcrossARestart(DevCluster cluster) throws Exception {
        String scope = UUID.randomUUID().toString().substring(0, 8);
        ChokepointConfig base = cluster.config().with(Map.of(
                "topic.prefix", "rs" + scope + "-",
                "topic.partitions", "1",
                StreamsProperties.APPLICATION_ID, "rs-" + scope,
                StreamsSettings.WINDOW_SIZE, "1h",
                StreamsSettings.WINDOW_ADVANCE, "1h",
                StreamsSettings.WINDOW_GRACE, "10m",
                StreamsSettings.EMIT_INTERVAL, "200ms",
                "kafka.commit.interval.ms", "100",
                // Streams does not leave the group on close: let the broker drop the stopped member quickly
                "kafka.session.timeout.ms", "6000"));
        Topics topics = base.topics();
        try (Admin admin = Admin.create(base.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        List<CommodityDelayStats> finals = new ArrayList<>();
        List<CommodityDelayStats> live = new ArrayList<>();
        try (KafkaProducer<String, ShipmentMilestone> producer = ClusterClients.milestoneProducer(base, topics);
             KafkaConsumer<String, CommodityDelayStats> stats = ClusterClients.statsReader(base, topics, topics.commodityDelayStats().name());
             KafkaConsumer<String, CommodityDelayStats> current = ClusterClients.statsReader(base, topics, topics.commodityDelayCurrent().name())) {
            try (StreamsRuntime first = new StreamsRuntime(withStateDir(base), StreamsSettings.from(base))) {
                first.start();
                send(producer, topics, "a1", Milestone.DEPARTED, "10m", 1.0);
                send(producer, topics, "a2", Milestone.DEPARTED, "20m", 3.0);
                send(producer, topics, "a3", Milestone.DEPARTED, "75m", 5.0);   // window 01:00, still open
                send(producer, topics, "clock", Milestone.DEPARTED, "80m", 0.0); // closes window 00:00 (end + grace = 01:10)
                awaitRecords(stats, finals, 1);
                awaitRecords(current, live, 1);
            }
            try (StreamsRuntime second = new StreamsRuntime(withStateDir(base), StreamsSettings.from(base))) {
                second.start();
                send(producer, topics, "a3", Milestone.DEPARTED, "75m", 5.0);   // a repeat: counted before the restart
                send(producer, topics, "a4", Milestone.DEPARTED, "100m", 7.0);
                send(producer, topics, "clock", Milestone.ARRIVED, "200m", 0.0); // closes window 01:00 (02:00 had no observation)
                awaitRecords(stats, finals, 2);
                // the window history: 00:00 refilled from the finals topic into an empty state directory, 01:00 written since
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                        assertThat(second.queries().windows(MAGNETS, T0, T0.plus(Duration.ofHours(5))))
                                .extracting(s -> s.getWindowStart().toString(), CommodityDelayStats::getCount)
                                .containsExactly(org.assertj.core.groups.Tuple.tuple("2025-04-01T00:00:00Z", 2L),
                                        org.assertj.core.groups.Tuple.tuple("2025-04-01T01:00:00Z", 3L)));
                // time for a wrongly repeated final to show up
                Thread.sleep(1500);
                finals.addAll(poll(stats));
            }
        }
        assertThat(finals).extracting(s -> s.getWindowStart().toString(), CommodityDelayStats::getCount, CommodityDelayStats::getIsFinal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2025-04-01T00:00:00Z", 2L, true),
                        org.assertj.core.groups.Tuple.tuple("2025-04-01T01:00:00Z", 3L, true));
        assertThat(finals.get(1).getDistinctShipments()).as("a3, clock, a4").isEqualTo(3);
        assertThat(finals.get(1).getMaxDelayHours()).isEqualTo(7.0);
        assertThat(live).allSatisfy(s -> assertThat(s.getIsFinal()).isFalse());

        // the panes survive the broker's retention even though their event times are long past
        try (Admin admin = Admin.create(base.kafkaClientProperties())) {
            ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC, "rs-" + scope + "-" + DelayAggregation.PANES_STORE + "-changelog");
            assertThat(admin.describeConfigs(List.of(changelog)).all().get().get(changelog)
                    .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value()).isEqualTo("LogAppendTime");
        }
    }

    private static ChokepointConfig withStateDir(ChokepointConfig base) throws Exception {
        return base.with(Map.of(StreamsProperties.STATE_DIR, Files.createTempDirectory("chokepoint-restart").toString()));
    }

    private static void awaitRecords(KafkaConsumer<String, CommodityDelayStats> consumer, List<CommodityDelayStats> into, int atLeast) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            into.addAll(poll(consumer));
            return into.size() >= atLeast;
        });
    }

    private static List<CommodityDelayStats> poll(KafkaConsumer<String, CommodityDelayStats> consumer) {
        List<CommodityDelayStats> out = new ArrayList<>();
        for (ConsumerRecord<String, CommodityDelayStats> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key().equals(MAGNETS)) {
                out.add(r.value());
            }
        }
        return out;
    }

    private static void send(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, String shipment, Milestone milestone,
                             String offset, double delayHours) throws Exception {
        Instant actual = T0.plus(Duration.parse("PT" + offset.toUpperCase()));
        Instant planned = actual.minusMillis(Math.round(delayHours * 3_600_000));
        ShipmentMilestone m = TopologyFixture.milestoneRecord(MAGNETS, shipment, milestone, planned, actual, "CN", "US");
        producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), null, actual.toEpochMilli(), MAGNETS, m)).get();
    }
}
