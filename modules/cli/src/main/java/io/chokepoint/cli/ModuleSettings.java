package io.chokepoint.cli;

import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.dashboard.DashboardSettings;
import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.RegistrySettings;
import io.chokepoint.http.HttpSecurity;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the settings of every module the way each one does at start-up, so {@code config show}
 * validates values with the components' own rules and learns every key and its default from the
 * components' own readers (through a {@link ChokepointConfig#recordingInto recording config}).
 */
final class ModuleSettings {

    /** Kafka Streams passes these prefixes on to its inner clients and topics. */
    private static final List<String> CLIENT_PREFIXES = List.of(
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.TOPIC_PREFIX);

    private ModuleSettings() {
    }

    /** Every invalid value, one message each (a module stops at its first, as its start-up would). */
    static List<String> problems(ChokepointConfig config) {
        List<Runnable> readers = List.of(
                () -> config.find(ChokepointConfig.BOOTSTRAP_SERVERS),
                () -> config.kafkaClientProperties().size(),
                () -> KafkaReachability.timeout(config),
                config::topicPrefix,
                config::topicPartitions,
                config::replicationFactor,
                config::alertDispatcherTopics,
                () -> RegistrySettings.from(config.registryProperties()),
                () -> StreamsSettings.from(config),
                () -> List.of(StreamsProperties.STATE_DIR, StreamsProperties.APPLICATION_SERVER).forEach(config::find),
                () -> config.get(StreamsProperties.APPLICATION_ID, StreamsProperties.DEFAULT_APPLICATION_ID),
                () -> StreamsProperties.storeMemoryBytes(config),
                () -> RuleSettings.from(config),
                () -> config.find(RuleSettings.FILES),
                () -> AlertsSettings.from(config),
                () -> DashboardSettings.from(config),
                () -> HttpSecurity.from(config));
        Set<String> problems = new LinkedHashSet<>(); // topic.partitions is read by topics and alerts alike
        for (Runnable reader : readers) {
            try {
                reader.run();
            } catch (ChokepointConfig.ConfigProblem e) {
                if (!e.getMessage().contains("is required but not set")) {
                    problems.add(e.getMessage());
                }
            } catch (ConfigException | IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return List.copyOf(problems);
    }

    /** Whether {@code kafka.NAME} names a property of a Kafka producer, consumer, admin client or Streams application. */
    static boolean isKafkaClientProperty(String name) {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.addAll(StreamsConfig.configDef().names());
        return names.contains(name) || CLIENT_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
