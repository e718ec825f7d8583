package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.AvroSerializer;
import io.chokepoint.events.serde.RegistrySettings;
import io.chokepoint.events.serde.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Schema evolution on the embedded broker and registry: a producer moves to a v2 milestone schema
 * (a new optional field) while the streams application, built on v1, runs. The application counts
 * v1 and v2 milestones alike and dead-letters none; a consumer built on v2 reads both (v1 records
 * with the new field's default); an incompatible v3 (a new required field) is refused at
 * registration, with the subject named, and nothing is published.
 */
@ExtendWith(DevClusterExtension.class)
class SchemaEvolutionTest {

    private static final String MAGNETS = "850511";
    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");

    @Test
    void a_v2_producer_beside_v1_consumers_and_an_incompatible_schema_refused(DevCluster cluster) throws Exception {
        String scope = UUID.randomUUID().toString().substring(0, 8);
        ChokepointConfig config = cluster.config().with(Map.of(
                "topic.prefix", "se" + scope + "-",
                "topic.partitions", "1",
                StreamsProperties.APPLICATION_ID, "se-" + scope,
                StreamsProperties.STATE_DIR, Files.createTempDirectory("chokepoint-evolution").toString(),
                StreamsSettings.WINDOW_SIZE, "1h",
                StreamsSettings.WINDOW_ADVANCE, "1h",
                StreamsSettings.WINDOW_GRACE, "10m",
                "kafka.commit.interval.ms", "100"));
        Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        String milestones = topics.shipmentMilestones().name();
        Schema v1 = ShipmentMilestone.getClassSchema();
        Schema v2 = withField(v1, "{\"name\":\"incoterm\",\"type\":[\"null\",\"string\"],\"default\":null,"
                + "\"doc\":\"Incoterm of the shipment (v2)\"}");
        Schema v3 = withField(v1, "{\"name\":\"containerId\",\"type\":\"string\"}");

        try (StreamsRuntime app = new StreamsRuntime(config, StreamsSettings.from(config));
             KafkaProducer<String, ShipmentMilestone> v1Producer = new KafkaProducer<>(producerProps(config), new StringSerializer(),
                     topics.shipmentMilestones().valueSerde().serializer());
             KafkaProducer<String, GenericRecord> v2Producer = new KafkaProducer<>(producerProps(config), new StringSerializer(),
                     genericSerializer(config));
             KafkaConsumer<String, CommodityDelayStats> finals = ClusterClients.statsReader(config, topics, topics.commodityDelayStats().name())) {
            app.start();
            v1Producer.send(record(milestones, TopologyFixture.milestoneRecord(MAGNETS, "a1", Milestone.DEPARTED,
                    T0.plus(Duration.ofMinutes(10)).minus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(10)), "CN", "US"))).get();
            v2Producer.send(record(milestones, v2Milestone(v2, "a2", 20, 3.0, "FOB"))).get();
            v2Producer.send(record(milestones, v2Milestone(v2, "a3", 30, 5.0, null))).get();
            v2Producer.send(record(milestones, v2Milestone(v2, "clock", 80, 0.0, "CIF"))).get(); // closes window 00:00

            List<CommodityDelayStats> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                finals.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                return !received.isEmpty();
            });
            CommodityDelayStats first = received.get(0);
            assertThat(first.getWindowStart()).isEqualTo(T0);
            assertThat(first.getCount()).as("one v1 and two v2 milestones").isEqualTo(3);
            assertThat(first.getMeanDelayHours()).isEqualTo(3.0);

            // a consumer on v2 reads what both producers wrote; v1 records carry the new field's default
            List<GenericRecord> asV2 = readAs(config, milestones, v2, 4);
            assertThat(asV2).extracting(r -> r.get("shipmentId").toString(), r -> r.get("incoterm") == null ? null : r.get("incoterm").toString())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a1", null), org.assertj.core.groups.Tuple.tuple("a2", "FOB"),
                            org.assertj.core.groups.Tuple.tuple("a3", null), org.assertj.core.groups.Tuple.tuple("clock", "CIF"));

            // an incompatible v3 is refused at registration and nothing reaches the topic
            long before = endOffset(config, milestones);
            GenericRecord incompatible = new GenericData.Record(v3);
            GenericRecord base = v2Milestone(v2, "a4", 90, 1.0, null);
            for (Schema.Field f : v1.getFields()) {
                incompatible.put(f.name(), base.get(f.name()));
            }
            incompatible.put("containerId", "MSCU1234567");
            assertThatThrownBy(() -> v2Producer.send(record(milestones, incompatible)).get())
                    .isInstanceOf(io.chokepoint.events.serde.SchemaRegistryException.class)
                    .satisfies(e -> assertThat(((io.chokepoint.events.serde.SchemaRegistryException) e).httpStatus()).isEqualTo(409))
                    .hasMessageContaining("subject '" + milestones + "-value'")
                    .hasMessageContaining("incompatible");
            v2Producer.flush();
            assertThat(endOffset(config, milestones)).as("records on the topic").isEqualTo(before);
        }
        try (KafkaConsumer<byte[], byte[]> dlq = rawConsumer(config, topics.deadLetters().name())) {
            assertThat(dlq.poll(Duration.ofSeconds(2))).as("dead letters").isEmpty();
        }
    }

    private static Schema withField(Schema v1, String fieldJson) {
        String json = v1.toString();
        int fields = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fields) + fieldJson + "," + json.substring(fields));
    }

    private static GenericRecord v2Milestone(Schema v2, String shipment, int minutes, double delayHours, String incoterm) {
        Instant actual = T0.plus(Duration.ofMinutes(minutes));
        ShipmentMilestone m = TopologyFixture.milestoneRecord(MAGNETS, shipment, Milestone.DEPARTED,
                actual.minusMillis(Math.round(delayHours * 3_600_000)), actual, "CN", "US");
        GenericRecord r = new GenericData.Record(v2);
        for (Schema.Field f : ShipmentMilestone.getClassSchema().getFields()) {
            Object value = m.get(f.pos());
            r.put(f.name(), value instanceof Instant i ? i.toEpochMilli() : value instanceof Enum<?> e
                    ? new GenericData.EnumSymbol(v2.getField(f.name()).schema(), e.name()) : value);
        }
        r.put("incoterm", incoterm);
        return r;
    }

    private static <V> ProducerRecord<String, V> record(String topic, V value) {
        long at = value instanceof ShipmentMilestone m ? m.getActualAt().toEpochMilli() : (Long) ((GenericRecord) value).get("actualAt");
        return new ProducerRecord<>(topic, null, at, MAGNETS, value);
    }

    private static AvroSerializer<GenericRecord> genericSerializer(ChokepointConfig config) {
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(config.registryProperties(), false);
        return serializer;
    }

    private static Properties producerProps(ChokepointConfig config) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return props;
    }

    /** The topic's records decoded with the v2 schema as reader, the writer schema fetched by id from the registry. */
    private static List<GenericRecord> readAs(ChokepointConfig config, String topic, Schema reader, int count) {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(config.registryProperties()));
        List<GenericRecord> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer(config, topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ByteBuffer bytes = ByteBuffer.wrap(r.value());
                    assertThat(bytes.get()).as("magic byte").isZero();
                    Schema writer = registry.schemaById(bytes.getInt());
                    out.add(new GenericDatumReader<GenericRecord>(writer, reader).read(null,
                            DecoderFactory.get().binaryDecoder(r.value(), 5, r.value().length - 5, null)));
                }
                return out.size() >= count;
            });
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> rawConsumer(ChokepointConfig config, String topic) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "se-raw-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static long endOffset(ChokepointConfig config, String topic) {
        Properties props = config.kafkaClientProperties();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(p)).get(p);
        }
    }
}
