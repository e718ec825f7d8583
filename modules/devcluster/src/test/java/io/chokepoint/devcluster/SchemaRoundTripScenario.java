package io.chokepoint.devcluster;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.RegistrySettings;
import io.chokepoint.events.serde.SchemaRegistryClient;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every schema through the real registry and the real broker, whichever flavour of cluster the
 * subclass provides (embedded, or containers where Docker exists).
 */
abstract class SchemaRoundTripScenario {

    protected abstract ChokepointConfig clusterConfig();

    private ChokepointConfig isolated() {
        return clusterConfig().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "rt" + UUID.randomUUID().toString().substring(0, 8) + "-"));
    }

    @Test
    void everySchemaRoundTripsThroughRegistryAndBroker() throws Exception {
        ChokepointConfig config = isolated();
        Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        assertThat(roundTrip(config, topics.exportLicenses(), "280530", SampleEvents.licence())).isEqualTo(SampleEvents.licence());
        assertThat(roundTrip(config, topics.tariffChanges(), "850511", SampleEvents.tariff())).isEqualTo(SampleEvents.tariff());
        assertThat(roundTrip(config, topics.shipmentMilestones(), "850511", SampleEvents.milestone())).isEqualTo(SampleEvents.milestone());
        assertThat(roundTrip(config, topics.commodityDelayStats(), "850511", SampleEvents.stats())).isEqualTo(SampleEvents.stats());
        assertThat(roundTrip(config, topics.disruptionAlerts(), "850511", SampleEvents.alert())).isEqualTo(SampleEvents.alert());
        assertThat(roundTrip(config, topics.alertDeadLetters(), "850511", SampleEvents.deadLetter())).isEqualTo(SampleEvents.deadLetter());
    }

    @Test
    void bytesOnTheTopicAreMagicByteRegistryIdThenAvroBinary() throws Exception {
        ChokepointConfig config = isolated();
        Topic<String, io.chokepoint.events.avro.ShipmentMilestone> topic = config.topics().shipmentMilestones();
        produce(config, topic, "850511", SampleEvents.milestone());

        byte[] onTopic = consume(config, topic.name(), new ByteArrayDeserializer(), 1).get(0).value();

        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(config.registryProperties()));
        int registeredId = registry.latest(topic.name() + "-value").id();
        assertThat(onTopic[0]).isZero();
        assertThat(ByteBuffer.wrap(onTopic, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(Arrays.copyOfRange(onTopic, 5, onTopic.length)).isEqualTo(avroBinary(SampleEvents.milestone()));
        assertThat(registry.schemaById(registeredId)).isEqualTo(SampleEvents.milestone().getSchema());
    }

    static <V extends SpecificRecord> V roundTrip(ChokepointConfig config, Topic<String, V> topic, String key, V value) {
        produce(config, topic, key, value);
        List<ConsumerRecord<String, V>> records = consume(config, topic.name(), topic.valueSerde().deserializer(), 1);
        assertThat(records.get(0).key()).isEqualTo(key);
        return records.get(0).value();
    }

    static <V> void produce(ChokepointConfig config, Topic<String, V> topic, String key, V value) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Serializer<String> keySerializer = topic.keySerde().serializer();
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(props, keySerializer, topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("produce to " + topic + " failed", e);
        }
    }

    static <V> List<ConsumerRecord<String, V>> consume(ChokepointConfig config, String topic, Deserializer<V> valueDeserializer, int expected) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(), valueDeserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read back from " + topic).hasSize(expected);
        return records;
    }

    private static byte[] avroBinary(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
