package io.chokepoint.alerts.support;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * One isolated scenario on the shared embedded cluster: its own topic prefix and consumer group,
 * the catalogue topics created, a producer of alerts and readers of offsets and dead letters.
 */
public final class AlertsTestBed implements AutoCloseable {

    private final ChokepointConfig config;
    private final Map<String, String> settings;
    private final Topics topics;
    private final KafkaProducer<String, DisruptionAlert> producer;
    private final Path dir;

    public AlertsTestBed(DevCluster cluster, Map<String, String> extra) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(Map.of(
                ChokepointConfig.TOPIC_PREFIX, "t" + id + "-",
                ChokepointConfig.TOPIC_PARTITIONS, "3",
                AlertsSettings.GROUP_ID, "alerts-" + id,
                AlertsSettings.HTTP_HOST, "127.0.0.1",
                AlertsSettings.HTTP_PORT, "0",
                AlertsSettings.COMMIT_INTERVAL, "200ms",
                AlertsSettings.SHUTDOWN_TIMEOUT, "2s"));
        settings.putAll(extra);
        settings.put(ChokepointConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(ChokepointConfig.SCHEMA_REGISTRY_URL, cluster.schemaRegistryUrl());
        this.settings = Map.copyOf(settings);
        this.config = cluster.config().with(settings);
        this.topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        this.producer = new KafkaProducer<>(config.kafkaClientProperties(), new StringSerializer(),
                topics.disruptionAlerts().valueSerde().serializer());
        try {
            this.dir = Files.createTempDirectory("alerts-" + id);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public ChokepointConfig config() {
        return config;
    }

    /** The scenario's settings, for a dispatcher started in another JVM. */
    public Map<String, String> settings() {
        return settings;
    }

    public Topics topics() {
        return topics;
    }

    public Path dir() {
        return dir;
    }

    public Path routingFile(String yaml) {
        try {
            Path file = dir.resolve("routing-" + UUID.randomUUID() + ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dispatcher routing by {@code routingYaml} (written to a file of the bed), once it is ready. */
    public AlertsService startDispatcher(String routingYaml) {
        AlertsService service = AlertsService.start(config().with(Map.of(AlertsSettings.ROUTING_FILE, routingFile(routingYaml).toString())),
                System.out);
        await().atMost(Duration.ofSeconds(30)).until(service::ready);
        return service;
    }

    public void produce(DisruptionAlert... alerts) {
        try {
            for (DisruptionAlert a : alerts) {
                producer.send(new ProducerRecord<>(topics.disruptionAlerts().name(), a.getHsCode(), a)).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes raw bytes (not an alert) to the alerts topic. */
    public void produceGarbage(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(config.kafkaClientProperties(), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.disruptionAlerts().name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the group's committed offsets reach the end of every alerts partition. */
    public boolean everythingCommitted() {
        String group = config.get(AlertsSettings.GROUP_ID);
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < topics.disruptionAlerts().partitions(); p++) {
                specs.put(new TopicPartition(topics.disruptionAlerts().name(), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(specs).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue().offset());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record on the alerts dead-letter topic so far. */
    public List<DeadLetter> alertDeadLetters() {
        return deadLetters(topics.alertDeadLetters());
    }

    /** Every record on a dead-letter topic so far. */
    public List<DeadLetter> deadLetters(io.chokepoint.events.Topic<?, DeadLetter> topic) {
        Properties p = config.kafkaClientProperties();
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], DeadLetter> consumer = new KafkaConsumer<>(p, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < topic.partitions(); i++) {
                parts.add(new TopicPartition(topic.name(), i));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            List<DeadLetter> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], DeadLetter> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }

    public static List<String> keys(List<DisruptionAlert> alerts) {
        return alerts.stream().map(io.chokepoint.alerts.AlertLabels::transitionKey).sorted().collect(Collectors.toList());
    }

    @Override
    public void close() {
        producer.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
