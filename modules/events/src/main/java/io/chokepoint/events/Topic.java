package io.chokepoint.events;

import org.apache.kafka.common.serialization.Serde;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Kafka topic with everything needed to use and create it: its (prefixed) name, its serdes and
 * its settings. Producers, topologies and tests take topics from {@link Topics}; nobody spells a
 * topic name twice.
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Retention retention,
        Role role) {

    /**
     * Whether the topic carries facts into Chokepoint (co-partitioned by HS code), results out of
     * it, records that failed, instructions users write (rules, silences) or a component's own
     * state (the alert dispatcher's delivery progress).
     */
    public enum Role { INPUT, OUTPUT, DEAD_LETTER, CONTROL, STATE }

    public enum CleanupPolicy {
        DELETE("delete"), COMPACT("compact"), COMPACT_DELETE("compact,delete");

        private final String kafkaName;

        CleanupPolicy(String kafkaName) {
            this.kafkaName = kafkaName;
        }

        public String kafkaName() {
            return kafkaName;
        }
    }

    /** Topic-level configs for {@code AdminClient#createTopics} and the Strimzi resources. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.kafkaName());
        configs.putAll(retention.configs());
        return configs;
    }

    @Override
    public String toString() {
        return name;
    }
}
