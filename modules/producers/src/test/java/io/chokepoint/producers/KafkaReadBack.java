package io.chokepoint.producers;

import io.chokepoint.events.Topic;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** Test support: an isolated topic prefix on the shared cluster, and reading a topic back through the registry serde. */
public final class KafkaReadBack {

    private KafkaReadBack() {
    }

    /** The cluster's config with a fresh topic prefix, its topics created. */
    public static ChokepointConfig isolated(ChokepointConfig clusterConfig) {
        ChokepointConfig config = clusterConfig.with(Map.of("topic.prefix", "t" + UUID.randomUUID().toString().substring(0, 8) + "-"));
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, config.topics(), config.replicationFactor()).ensureAll();
        }
        return config;
    }

    /**
     * Reads the topic from the beginning (committed records only) until {@code expected} records
     * arrived, then a little longer to catch any extra one.
     */
    public static <V> List<ConsumerRecord<String, V>> readAll(ChokepointConfig config, Topic<String, V> topic, int expected) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "readback-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deserializer<String> keys = topic.keySerde().deserializer();
        Deserializer<V> values = topic.valueSerde().deserializer();
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                }
            }
        }
        return records;
    }
}
