package io.chokepoint.alerts.bench;

import com.sun.net.httpserver.HttpServer;
import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throughput and latency of alert delivery to a local webhook, against a raw Kafka consumer
 * of the same records in the same run (deserialization included in both).
 * <ul>
 *   <li>throughput: N alerts already in the topic; rate = (N-1) / (last - first arrival), for the raw
 *       consumer and for webhook receipts;</li>
 *   <li>latency: alerts produced at a fixed rate while both run; latency = arrival - record timestamp.</li>
 * </ul>
 * Run: {@code mvn -o -q -pl modules/alerts test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chokepoint.alerts.bench.AlertsBenchmark [-Dexec.args="10000 1000 100"]}
 */
public final class AlertsBenchmark {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private AlertsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int burst = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        int paced = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int ratePerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        try (DevCluster cluster = DevCluster.start()) {
            run(cluster, burst, paced, ratePerSecond);
        }
        System.exit(0);
    }

    static void run(DevCluster cluster, int burst, int paced, int ratePerSecond) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("alerts-bench");
        ChokepointConfig config = cluster.config().with(Map.of(
                ChokepointConfig.TOPIC_PREFIX, "bench" + id + "-",
                AlertsSettings.GROUP_ID, "bench-alerts-" + id,
                AlertsSettings.HTTP_PORT, "-1"));
        Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        Receipts webhook = new Receipts();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            long now = System.currentTimeMillis();
            // paced alerts carry their send time as eventAt (also their record timestamp)
            String eventAt = JSON.readTree(body).path("alerts").path(0).path("chokepoint").path("eventAt").asText();
            webhook.arrived(ex.getRequestHeaders().getFirst("Idempotency-Key"), java.time.Instant.parse(eventAt).toEpochMilli(), now);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        Path routing = dir.resolve("routing.yaml");
        Files.writeString(routing, """
                route: {receiver: hook, group_by: ['...'], group_wait: 0s}
                receivers:
                  - name: hook
                    webhook: {url: "http://127.0.0.1:%d/hook", signing_secret: "bench-secret-0123456789"}
                """.formatted(server.getAddress().getPort()));

        KafkaProducer<String, DisruptionAlert> producer = new KafkaProducer<>(config.kafkaClientProperties(),
                new StringSerializer(), topics.disruptionAlerts().valueSerde().serializer());
        for (int i = 0; i < burst; i++) {
            DisruptionAlert a = Alerts.firing("burst-" + i, String.format("85%04d", i % 10_000), Severity.WARNING);
            producer.send(new ProducerRecord<>(topics.disruptionAlerts().name(), a.getHsCode(), a));
        }
        producer.flush();

        // 1. raw baseline over the burst, then it keeps running for the paced phase
        Receipts raw = new Receipts();
        AtomicBoolean stop = new AtomicBoolean();
        Thread rawThread = new Thread(() -> rawConsume(config, topics, raw, stop), "raw-baseline");
        rawThread.start();
        raw.awaitCount(burst, Duration.ofMinutes(2));

        // 2. the dispatcher over the same burst
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (AlertsService service = AlertsService.start(config.with(Map.of(AlertsSettings.ROUTING_FILE, routing.toString())), quiet)) {
            webhook.awaitCount(burst, Duration.ofMinutes(5));
            if (service.failure().isPresent()) {
                throw new IllegalStateException("dispatcher failed", service.failure().get());
            }
            double rawRate = raw.rate();
            double hookRate = webhook.rate();

            // 3. latency at a steady rate, both running
            raw.reset();
            webhook.reset();
            long intervalNanos = 1_000_000_000L / ratePerSecond;
            long next = System.nanoTime();
            for (int i = 0; i < paced; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += intervalNanos;
                long sentAt = System.currentTimeMillis();
                DisruptionAlert a = DisruptionAlert.newBuilder(Alerts.firing("paced-" + i, String.format("28%04d", i % 10_000), Severity.CRITICAL))
                        .setEventAt(java.time.Instant.ofEpochMilli(sentAt)).build();
                producer.send(new ProducerRecord<>(topics.disruptionAlerts().name(), null, sentAt, a.getHsCode(), a));
            }
            producer.flush();
            raw.awaitCount(paced, Duration.ofMinutes(1));
            webhook.awaitCount(paced, Duration.ofMinutes(2));

            System.out.println();
            System.out.println("=== chokepoint alerts benchmark (1 dispatcher, 1 signed webhook receiver on 127.0.0.1, embedded 1-node Kafka, 6 partitions) ===");
            System.out.printf("throughput, %d alerts already in the topic:%n", burst);
            System.out.printf("  raw Kafka consume (Avro deserialize)  : %,10.0f records/s%n", rawRate);
            System.out.printf("  dispatcher -> webhook notifications   : %,10.0f notifications/s%n", hookRate);
            System.out.printf("  ratio dispatcher / raw                : %10.3f%n", hookRate / rawRate);
            System.out.printf("latency, %d alerts produced at %d/s (record timestamp -> arrival):%n", paced, ratePerSecond);
            System.out.printf("  raw Kafka consume                     : p50 %6.1f ms   p99 %6.1f ms%n", raw.percentile(50), raw.percentile(99));
            System.out.printf("  dispatcher -> webhook receipt         : p50 %6.1f ms   p99 %6.1f ms%n", webhook.percentile(50), webhook.percentile(99));
            System.out.printf("  ratio p50 / p99                       : %6.2f x   %6.2f x%n",
                    webhook.percentile(50) / raw.percentile(50), webhook.percentile(99) / raw.percentile(99));
            System.out.printf("distinct idempotency keys at the webhook: %d of %d%n", webhook.distinct(), burst + paced);
        } finally {
            stop.set(true);
            rawThread.join(5_000);
            producer.close();
            server.stop(0);
            Files.deleteIfExists(routing);
            Files.deleteIfExists(dir);
        }
    }

    private static void rawConsume(ChokepointConfig config, Topics topics, Receipts raw, AtomicBoolean stop) {
        Properties p = config.kafkaClientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, DisruptionAlert> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                topics.disruptionAlerts().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.disruptionAlerts().name()));
            while (!stop.get()) {
                for (ConsumerRecord<String, DisruptionAlert> r : consumer.poll(Duration.ofMillis(50))) {
                    raw.arrived(r.value().getAlertId(), r.timestamp(), System.currentTimeMillis());
                }
            }
        }
    }

    /** Arrival times (and latencies from the record timestamp, when known) of one consumer. */
    static final class Receipts {
        private final List<Long> arrivals = new CopyOnWriteArrayList<>();
        private final List<Long> latencies = new CopyOnWriteArrayList<>();
        private final Set<String> keys = ConcurrentHashMap.newKeySet();

        void arrived(String key, long sentAt, long now) {
            arrivals.add(now);
            keys.add(key);
            latencies.add(now - sentAt);
        }

        void reset() {
            arrivals.clear();
            latencies.clear();
        }

        int distinct() {
            return keys.size();
        }

        void awaitCount(int n, Duration timeout) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (arrivals.size() < n) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("only " + arrivals.size() + " of " + n + " arrived within " + timeout);
                }
                Thread.sleep(20);
            }
        }

        double rate() {
            List<Long> a = new ArrayList<>(arrivals);
            Collections.sort(a);
            long span = Math.max(1, a.get(a.size() - 1) - a.get(0));
            return (a.size() - 1) * 1000.0 / span;
        }

        double percentile(int p) {
            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            if (l.isEmpty()) {
                return Double.NaN;
            }
            return l.get(Math.min(l.size() - 1, (int) Math.ceil(p / 100.0 * l.size()) - 1));
        }
    }
}
