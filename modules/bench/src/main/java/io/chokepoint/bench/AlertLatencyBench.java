package io.chokepoint.bench;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.Directories;
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
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The alert-latency section of {@code chokepoint bench}: end-to-end latency under exactly-once with
 * default settings. Milestones timestamped now flow at a fixed background rate, and every 500 ms one
 * more commodity is driven over a rule without {@code for}; the latency of a firing is the time from
 * sending the milestone that crossed the threshold to the FIRING record read (read_committed) from
 * {@code disruption-alerts}. The baseline is the same producer and a read_committed consumer on a
 * plain topic in the same run: what Kafka itself costs.
 */
final class AlertLatencyBench {

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

    /** The section's options, mixed into {@code chokepoint bench}. */
    static final class Options {
        @Option(names = "--latency-rates", paramLabel = "N,...",
                description = "Background milestones per second of the alert-latency runs (default ${DEFAULT-VALUE}; empty to skip).")
        String rates = "1000,10000";

        @Option(names = "--latency-firings", paramLabel = "N", description = "Firings measured per latency run (default ${DEFAULT-VALUE}).")
        int firings = 120;
    }

    private AlertLatencyBench() {
    }

    /** One latency run at {@code rate} background events/s; prints a line per path and returns the figures. */
    static Map<String, Object> run(DevCluster cluster, int rate, int firings, PrintWriter w) throws Exception {
        Path dir = Files.createTempDirectory("chokepoint-bench-latency-");
        try {
            Path rules = dir.resolve("bench-rules.yaml");
            Files.writeString(rules, RULE);
            String run = "latency-" + UUID.randomUUID().toString().substring(0, 8);
            ChokepointConfig config = cluster.config().with(Map.of(
                    ChokepointConfig.TOPIC_PREFIX, run + "-",
                    StreamsProperties.APPLICATION_ID, run,
                    RuleSettings.FILES, rules.toString(),
                    StreamsProperties.STATE_DIR, dir.resolve("state").toString()));
            Topics topics = config.topics();
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                new TopicProvisioner(admin, topics, (short) 1).ensureAll();
            }
            List<Long> baseline = baseline(config, rate, firings);
            List<Long> alerts;
            try (StreamsRuntime streams = new StreamsRuntime(config, StreamsSettings.from(config), List.of(RuleTopology::addTo))) {
                streams.start();
                long deadline = System.currentTimeMillis() + 60_000;
                while (streams.streams().state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                alerts = alertLatencies(config, topics, rate, firings, w);
            }
            w.printf(Locale.ROOT, "alert latency at %,d background events/s (a rule without 'for', exactly-once, default settings):%n", rate);
            print(w, "raw Kafka (produce -> read_committed consume)", baseline);
            print(w, "milestone -> FIRING on disruption-alerts", alerts);
            w.flush();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("backgroundEventsPerSecond", rate);
            json.put("firings", alerts.size());
            json.put("alertMs", figures(alerts));
            json.put("baselineMs", figures(baseline));
            return json;
        } finally {
            Directories.deleteRecursively(dir);
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

    private static List<Long> alertLatencies(ChokepointConfig config, Topics topics, int rate, int firings, PrintWriter w) throws Exception {
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
                w.printf("%d firing(s) not seen within 15 s%n", sentAt.size());
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

    private static void print(PrintWriter w, String what, List<Long> latencies) {
        w.printf(Locale.ROOT, "  %-46s n=%d  p50=%d ms  p95=%d ms  p99=%d ms  max=%d ms%n", what, latencies.size(),
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                latencies.stream().mapToLong(Long::longValue).max().orElse(0));
    }

    private static Map<String, Object> figures(List<Long> latencies) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("n", latencies.size());
        f.put("p50", percentile(latencies, 50));
        f.put("p95", percentile(latencies, 95));
        f.put("p99", percentile(latencies, 99));
        f.put("max", latencies.stream().mapToLong(Long::longValue).max().orElse(0));
        return f;
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
