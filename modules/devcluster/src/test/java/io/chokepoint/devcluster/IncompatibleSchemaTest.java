package io.chokepoint.devcluster;

import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.AvroSerializer;
import io.chokepoint.events.serde.RegistrySettings;
import io.chokepoint.events.serde.SchemaRegistryClient;
import io.chokepoint.events.serde.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(DevClusterExtension.class)
class IncompatibleSchemaTest {

    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Probe","namespace":"test","fields":[
              {"name":"hsCode","type":"string"}]}""");
    // a new required field without default: readers on V2 cannot read V1 data
    private static final Schema V2_INCOMPATIBLE = new Schema.Parser().parse("""
            {"type":"record","name":"Probe","namespace":"test","fields":[
              {"name":"hsCode","type":"string"},
              {"name":"delayHours","type":"double"}]}""");

    private ChokepointConfig config;
    private String topic;

    @BeforeEach
    void setUp(DevCluster cluster) {
        config = cluster.config();
        topic = "incompatible-" + UUID.randomUUID();
    }

    @Test
    void incompatibleSchemaIsRefusedWith409NamingTheSubjectAndNothingIsProduced() throws Exception {
        Properties props = config.kafkaClientProperties();
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(config.registryProperties(), false);
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, "850511", record(V1))).get();

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "850511", record(V2_INCOMPATIBLE))))
                    .isInstanceOf(SerializationException.class)
                    .satisfies(e -> {
                        SchemaRegistryException refusal = (SchemaRegistryException) e;
                        assertThat(refusal.httpStatus()).isEqualTo(409);
                        assertThat(refusal.subject()).isEqualTo(topic + "-value");
                        assertThat(refusal.isTransient()).isFalse();
                    })
                    .hasMessageContaining("subject '" + topic + "-value'")
                    .hasMessageContaining("incompatible");
        }
        assertThat(endOffset(topic)).as("only the compatible record reached the topic").isEqualTo(1);
    }

    /**
     * Instances emitting their first records at once register the same schema under a new subject
     * concurrently. Apicurio answers the losers 409 ("already exists"), the status it also uses for
     * an incompatible schema: each must get the winner's id, not a refusal (a final was
     * dead-lettered that way when two streams instances closed their first windows together).
     */
    @Test
    void concurrentFirstRegistrationsOfOneSchemaAllGetItsId() throws Exception {
        int writers = 8;
        for (int round = 0; round < 10; round++) {
            String subject = topic + "-race-" + round + "-value";
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
            List<java.util.concurrent.CompletableFuture<Integer>> ids = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                // a client each, as separate instances have: no shared cache
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(config.registryProperties()));
                ids.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return registry.register(subject, V1);
                }, java.util.concurrent.Executors.newSingleThreadExecutor()));
            }
            List<Integer> got = ids.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(got).as(subject).containsOnly(got.get(0));
        }
    }

    @Test
    void compatibilityCheckExplainsWithoutRegistering() {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(config.registryProperties()));
        registry.register(topic + "-value", V1);

        SchemaRegistryClient.Compatibility verdict = registry.checkCompatibility(topic + "-value", V2_INCOMPATIBLE);

        assertThat(verdict.compatible()).isFalse();
        assertThat(registry.globalCompatibilityLevel()).isEqualTo("BACKWARD");
        assertThat(registry.latest(topic + "-value").version()).isEqualTo(1);
    }

    @Test
    void unknownSubjectIs404AndUnreachableRegistryNamesTheUrl() {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(config.registryProperties()));
        assertThatThrownBy(() -> registry.latest("no-such-subject-" + UUID.randomUUID()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(404))
                .hasMessageContaining("not found");

        SchemaRegistryClient nowhere = new SchemaRegistryClient(RegistrySettings.from(Map.of(
                RegistrySettings.URL, "http://127.0.0.1:" + FreePorts.pick() + "/apis/ccompat/v7")));
        assertThatThrownBy(() -> nowhere.register("x-value", V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("unreachable")
                .hasMessageContaining("subject 'x-value'");
    }

    private long endOffset(String topicName) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topicName, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private static GenericRecord record(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("hsCode", "850511");
        if (schema.getField("delayHours") != null) {
            record.put("delayHours", 12.0);
        }
        return record;
    }
}
