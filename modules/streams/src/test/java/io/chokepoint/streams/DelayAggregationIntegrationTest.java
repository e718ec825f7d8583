package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.query.StatsQueries;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end on the embedded broker and registry, exactly-once: milestones produced with a
 * plain producer and the catalogue serdes → stats records read committed; a poison pill lands
 * in the dead-letter topic; the stores answer interactive queries.
 */
@ExtendWith(DevClusterExtension.class)
class DelayAggregationIntegrationTest {

    private static final String MAGNETS = "850511";
    private static final String CHIPS = "854231";
    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");

    @Test
    void milestonesBecomeFinalStatsAndPoisonPillsDeadLetters(DevCluster cluster) throws Exception {
        String scope = UUID.randomUUID().toString().substring(0, 8);
        ChokepointConfig config = cluster.config().with(Map.of(
                "topic.prefix", "it" + scope + "-",
                "topic.partitions", "2",
                StreamsProperties.APPLICATION_ID, "it-" + scope,
                StreamsProperties.APPLICATION_SERVER, "127.0.0.1:7070",
                StreamsProperties.STATE_DIR, Files.createTempDirectory("chokepoint-it").toString(),
                StreamsSettings.WINDOW_SIZE, "1h",
                StreamsSettings.WINDOW_ADVANCE, "1h",
                StreamsSettings.WINDOW_GRACE, "10m",
                StreamsSettings.EMIT_INTERVAL, "200ms",
                "kafka.commit.interval.ms", "100"));
        Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }

        try (StreamsRuntime runtime = new StreamsRuntime(config, StreamsSettings.from(config))) {
            runtime.start();
            produce(config, topics);

            List<CommodityDelayStats> finals = new ArrayList<>();
            try (KafkaConsumer<byte[], CommodityDelayStats> consumer = consumer(config, topics.commodityDelayStats().valueSerde().deserializer())) {
                consumer.subscribe(List.of(topics.commodityDelayStats().name()));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<byte[], CommodityDelayStats> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value().getIsFinal()) {
                            finals.add(r.value());
                        }
                    }
                    return finals.stream().filter(s -> !s.getHsCode().equals("999999")).count() >= 3;
                });
            }
            List<CommodityDelayStats> magnets = finals.stream().filter(s -> s.getHsCode().equals(MAGNETS)).toList();
            assertThat(magnets).extracting(CommodityDelayStats::getCount).containsExactly(3L, 1L);
            assertThat(magnets.get(0).getMaxDelayHours()).isEqualTo(30.0);
            assertThat(magnets.get(0).getCustomsHolds()).isEqualTo(1);
            assertThat(finals.stream().filter(s -> s.getHsCode().equals(CHIPS)).toList())
                    .singleElement().satisfies(s -> assertThat(s.getMeanDelayHours()).isEqualTo(-2.0));

            try (KafkaConsumer<byte[], DeadLetter> consumer = consumer(config, topics.deadLetters().valueSerde().deserializer())) {
                consumer.subscribe(List.of(topics.deadLetters().name()));
                List<DeadLetter> letters = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(r.value()));
                    return !letters.isEmpty();
                });
                assertThat(letters).singleElement().satisfies(d -> {
                    assertThat(d.getStage()).isEqualTo(FailureStage.DESERIALIZATION);
                    assertThat(d.getSourceTopic()).isEqualTo(topics.shipmentMilestones().name());
                    assertThat(d.getApplicationId()).isEqualTo("it-" + scope);
                    assertThat(StandardCharsets.UTF_8.decode(d.getValue()).toString()).isEqualTo("{\"not\":\"avro\"}");
                });
            }
            assertThat(runtime.deadLetters().count(FailureStage.DESERIALIZATION)).isEqualTo(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.streams().state() == KafkaStreams.State.RUNNING);
            StatsQueries queries = runtime.queries();
            StatsQueries.Owner owner = queries.ownerOf(MAGNETS);
            assertThat(owner.local()).isTrue();
            assertThat(owner.active().port()).isEqualTo(7070);
            assertThat(queries.windows(MAGNETS, T0, T0.plus(Duration.ofHours(2))))
                    .extracting(CommodityDelayStats::getIsFinal).containsExactly(true, true);
            assertThat(queries.latest(CHIPS)).isPresent();
        }
    }

    private static void produce(ChokepointConfig config, Topics topics) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ShipmentMilestone> producer = new KafkaProducer<>(props, new StringSerializer(),
                topics.shipmentMilestones().valueSerde().serializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            send(producer, topics, MAGNETS, "m1", Milestone.DEPARTED, "10m", 1.0);
            send(producer, topics, MAGNETS, "m1", Milestone.DEPARTED, "10m", 1.0);        // re-import: counted once
            send(producer, topics, MAGNETS, "m2", Milestone.CUSTOMS_HOLD, "20m", 30.0);
            raw.send(new ProducerRecord<>(topics.shipmentMilestones().name(), MAGNETS, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)));
            raw.flush();
            send(producer, topics, MAGNETS, "m3", Milestone.ARRIVED, "50m", 2.0);
            send(producer, topics, CHIPS, "c1", Milestone.ARRIVED, "30m", -2.0);
            send(producer, topics, MAGNETS, "m4", Milestone.DEPARTED, "70m", 4.0);
            // move stream time of every partition past the windows' end + grace
            for (String hs : List.of(MAGNETS, CHIPS, "999999")) {
                send(producer, topics, hs, "clock-" + hs, Milestone.DEPARTED, "200m", 0.0);
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, String hs, String shipment,
                             Milestone milestone, String offset, double delayHours) {
        Instant actual = T0.plus(Duration.parse("PT" + offset.toUpperCase()));
        Instant planned = actual.minusMillis(Math.round(delayHours * 3_600_000));
        ShipmentMilestone m = TopologyFixture.milestoneRecord(hs, shipment, milestone, planned, actual, "CN", "US");
        producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), null, actual.toEpochMilli(), hs, m));
    }

    private static <V> KafkaConsumer<byte[], V> consumer(ChokepointConfig config, org.apache.kafka.common.serialization.Deserializer<V> values) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), values);
    }
}
