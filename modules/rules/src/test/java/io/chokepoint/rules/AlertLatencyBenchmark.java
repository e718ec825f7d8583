package io.chokepoint.rules;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end alert latency under exactly-once: milestones timestamped now at a fixed background
 * rate, and every 500 ms one more commodity driven over a rule without {@code for}; the latency of
 * a firing is the time from sending the milestone that crossed the threshold to the FIRING record
 * read (read_committed) from {@code disruption-alerts}. The baseline is the same producer and a
 * read_committed consumer on a plain topic: what Kafka itself costs. Prints figures; not a test.
 *
 * <p>Run (embedded broker and registry, default settings unless given as -Dkey=value):
 * {@code mvn -q -o -pl modules/rules test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chokepoint.rules.AlertLatencyBenchmark -Dexec.args="10000 120"}
 * (background events/s, firings).
 */
public final class AlertLatencyBenchmark {

    private static final String RULE = """
            rules:
              - id: bench-max-delay
                select: {hs_prefixes: ["99"]}
                metric: maxDelayHours
                comparison: ">"
                fire: 72
                resolve: 24
                severity: WARNING
            """;

    private AlertLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int firings = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Path dir = Files.createTempDirectory("chokepoint-latency-");
        Path rules = dir.resolve("bench-rules.yaml");
        Files.writeString(rules, RULE);
        try (DevCluster cluster = DevCluster.start()) {
            Map<String, String> overrides = new java.util.HashMap<>();
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("streams.") || k.startsWith("kafka."))
                    .forEach(k -> overrides.put(k, System.getProperty(k)));
            overrides.put(RuleSettings.FILES, rules.toString());
            overrides.put(StreamsProperties.STATE_DIR, dir.resolve("state").toString());
            ChokepointConfig config = cluster.config().with(overrides);
            Topics topics = config.topics();
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                new TopicProvisioner(admin, topics, (short) 1).ensureAll();
            }
            StreamsSettings settings = StreamsSettings.from(config);
            System.out.printf("settings: streams.emit.interval=%s, commit.interval.ms=%s, exactly_once_v2, background %,d events/s, %d firings%n",
                    settings.emitInterval(), config.get("kafka.commit.interval.ms", "100 (EOS default)"), rate, firings);

            List<Long> baseline = baseline(config, rate, firings);
            List<Long> alerts;
            try (StreamsRuntime streams = new StreamsRuntime(config, settings, List.of(RuleTopology::addTo))) {
                streams.start();
                long deadline = System.currentTimeMillis() + 60_000;
                while (streams.streams().state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                alerts = alertLatencies(config, topics, rate, firings);
            }
            print("raw Kafka (produce -> read_committed consume)", baseline);
            print("milestone -> FIRING on disruption-alerts", alerts);
            System.out.printf("ratio p99 alert / p99 baseline: %.1f%n", percentile(alerts, 99) / (double) Math.max(1, percentile(baseline, 99)));
        }
    }

    /** Background milestones of 50 ordinary commodities, paced at {@code rate} per second, timestamped now. */
    private static Thread background(KafkaProducer<String, ShipmentMilestone> producer, String topic, int rate, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            long sent = 0;
            long start = System.nanoTime();
            while (running.get()) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (sent < due) {
                    String hs = String.format("84%04d", sent % 50);
                    Instant now = Instant.now();
                    producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), hs,
                            milestone(hs, "bg-" + sent, now, 2)));
                    sent++;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "background-load");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static List<Long> alertLatencies(ChokepointConfig config, Topics topics, int rate, int firings) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        try (KafkaProducer<String, ShipmentMilestone> producer = producer(config, topics.shipmentMilestones().valueSerde().serializer());
             KafkaConsumer<String, DisruptionAlert> consumer = consumer(config, topics.disruptionAlerts().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.disruptionAlerts().name()));
            consumer.poll(Duration.ofMillis(500));
            Thread load = background(producer, topics.shipmentMilestones().name(), rate, running);
            Thread.sleep(5_000); // warm-up under load
            long nextTrigger = System.currentTimeMillis();
            int triggered = 0;
            long end = Long.MAX_VALUE;
            while (System.currentTimeMillis() < end) {
                if (triggered < firings && System.currentTimeMillis() >= nextTrigger) {
                    String hs = String.format("99%04d", triggered++);
                    Instant now = Instant.now();
                    sentAt.put(hs, now.toEpochMilli());
                    producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), null, now.toEpochMilli(), hs,
                            milestone(hs, "trigger-" + hs, now, 100)));
                    nextTrigger += 500;
                    if (triggered == firings) {
                        end = System.currentTimeMillis() + 15_000;
                    }
                }
                for (ConsumerRecord<String, DisruptionAlert> r : consumer.poll(Duration.ofMillis(5))) {
                    Long sent = sentAt.remove(r.key());
                    if (sent != null && r.value().getState() == AlertState.FIRING) {
                        latencies.add(System.currentTimeMillis() - sent);
                    }
                }
                if (triggered == firings && sentAt.isEmpty()) {
                    break;
                }
            }
            running.set(false);
            load.join();
            if (!sentAt.isEmpty()) {
                System.out.printf("%d firing(s) not seen within 15 s%n", sentAt.size());
            }
        }
        return latencies;
    }

    private static List<Long> baseline(ChokepointConfig config, int rate, int samples) throws Exception {
        String topic = "latency-baseline-" + UUID.randomUUID();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 6, (short) 1))).all().get();
        }
        List<Long> latencies = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Topics topics = config.topics();
        try (KafkaProducer<String, ShipmentMilestone> producer = producer(config, topics.shipmentMilestones().valueSerde().serializer());
             KafkaConsumer<String, ShipmentMilestone> consumer = consumer(config, topics.shipmentMilestones().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic));
            consumer.poll(Duration.ofMillis(500));
            Thread load = background(producer, topic, rate, running);
            Thread.sleep(2_000);
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            long nextTrigger = System.currentTimeMillis();
            int triggered = 0;
            long end = System.currentTimeMillis() + samples * 500L + 10_000;
            while (System.currentTimeMillis() < end && (triggered < samples || !sentAt.isEmpty())) {
                if (triggered < samples && System.currentTimeMillis() >= nextTrigger) {
                    String hs = String.format("99%04d", triggered++);
                    Instant now = Instant.now();
                    sentAt.put(hs, now.toEpochMilli());
                    producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), hs, milestone(hs, "t-" + hs, now, 100)));
                    nextTrigger += 500;
                }
                for (ConsumerRecord<String, ShipmentMilestone> r : consumer.poll(Duration.ofMillis(5))) {
                    Long sent = sentAt.remove(r.key());
                    if (sent != null) {
                        latencies.add(System.currentTimeMillis() - sent);
                    }
                }
            }
            running.set(false);
            load.join();
        }
        return latencies;
    }

    private static ShipmentMilestone milestone(String hs, String shipment, Instant actual, double delayHours) {
        return ShipmentMilestone.newBuilder().setEventId(shipment + ":ARRIVED").setShipmentId(shipment).setHsCode(hs)
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.ARRIVED)
                .setPlannedAt(actual.minusSeconds((long) (delayHours * 3600))).setActualAt(actual).build();
    }

    private static <V> KafkaProducer<String, V> producer(ChokepointConfig config, org.apache.kafka.common.serialization.Serializer<V> values) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    private static <V> KafkaConsumer<String, V> consumer(ChokepointConfig config, org.apache.kafka.common.serialization.Deserializer<V> values) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return new KafkaConsumer<>(props, new StringDeserializer(), values);
    }

    private static void print(String what, List<Long> latencies) {
        System.out.printf("%-46s n=%d  p50=%d ms  p95=%d ms  p99=%d ms  max=%d ms%n", what, latencies.size(),
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                latencies.stream().mapToLong(Long::longValue).max().orElse(0));
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
