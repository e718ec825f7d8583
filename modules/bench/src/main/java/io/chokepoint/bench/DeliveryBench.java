package io.chokepoint.bench;

import com.sun.net.httpserver.HttpServer;
import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.alerts.CompactedTopicView;
import io.chokepoint.alerts.delivery.Notification;
import io.chokepoint.alerts.delivery.PayloadLinks;
import io.chokepoint.alerts.delivery.Payloads;
import io.chokepoint.alerts.delivery.WebhookSignature;
import io.chokepoint.alerts.grouping.AlertGroups;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.routing.RoutingConfigLoader;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The delivery section of {@code chokepoint bench}: the alerts dispatcher (default settings, one
 * signed webhook receiver) against a plain {@code HttpClient} posting the same signed payloads to
 * the same local webhook server with the same number in flight, in the same run; then the
 * latency from alert record to webhook receipt at a steady rate; then the memory and start-up
 * time of the delivery progress after many deliveries, written directly to a progress topic.
 */
final class DeliveryBench {

    private static final String SECRET = "bench-secret-0123456789";
    private static final PayloadLinks LINKS = new PayloadLinks("http://localhost:9096", "http://localhost:9095");
    private static final Instant T0 = Instant.parse("2025-04-16T20:00:00Z");

    /** The section's options, mixed into {@code chokepoint bench}. */
    static final class Options {
        @Option(names = "--delivery-notifications", paramLabel = "N",
                description = "Alerts of the delivery throughput run, dispatcher and baseline each (default ${DEFAULT-VALUE}, 6-8 s each: "
                        + "at 20,000 the 2-3 s measured were mostly warm-up transients and the ratio varied from 0.74 to 0.93; "
                        + "0 skips the delivery section).")
        int notifications = 60_000;

        @Option(names = "--delivery-warm-up", paramLabel = "N",
                description = "Alerts sent before those, dispatcher and baseline each, not counted: both run JIT-compiled code when measured (default ${DEFAULT-VALUE}).")
        int warmUp = 5_000;

        @Option(names = "--delivery-rate", paramLabel = "N", description = "Alerts per second of the delivery latency run (default ${DEFAULT-VALUE}).")
        int rate = 1_000;

        @Option(names = "--delivery-latency-seconds", paramLabel = "S", description = "Length of the delivery latency run (default ${DEFAULT-VALUE}).")
        int latencySeconds = 10;

        @Option(names = "--delivery-progress-records", paramLabel = "N",
                description = "Deliveries in the progress topic for the memory and start-up figures (default ${DEFAULT-VALUE}).")
        long progressRecords = 10_000_000;

        @Option(names = "--delivery-progress-days", paramLabel = "D",
                description = "Days those deliveries are spread over, against the default 7-day progress retention (default ${DEFAULT-VALUE}).")
        int progressDays = 70;
    }

    private DeliveryBench() {
    }

    static Map<String, Object> run(DevCluster cluster, Options o, PrintWriter w) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 6);
        ChokepointConfig config = cluster.config().with(Map.of(
                ChokepointConfig.TOPIC_PREFIX, "bench" + id + "-",
                AlertsSettings.GROUP_ID, "bench-alerts-" + id,
                AlertsSettings.HTTP_PORT, "-1"));
        Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        Webhook hook = new Webhook();
        Path dir = Files.createTempDirectory("chokepoint-bench-delivery");
        Path routing = dir.resolve("routing.yaml");
        Files.writeString(routing, """
                route: {receiver: hook, group_by: ['...'], group_wait: 0s}
                receivers:
                  - name: hook
                    webhook: {url: "%s", signing_secret: "%s"}
                """.formatted(hook.url(), SECRET));
        RoutingConfig tree = RoutingConfigLoader.load(routing, config);
        int inFlight = tree.receivers().get("hook").concurrency();
        w.printf(Locale.ROOT, "%ndelivery: %,d alerts, 1 signed webhook receiver on 127.0.0.1 (JDK HttpServer), %d in flight (the default), "
                + "default alerts settings, after %,d alerts of warm-up%n", o.notifications, inFlight, o.warmUp);
        w.flush();
        try (KafkaProducer<String, DisruptionAlert> producer = new KafkaProducer<>(config.kafkaClientProperties(),
                new StringSerializer(), topics.disruptionAlerts().valueSerde().serializer())) {
            List<DisruptionAlert> burst = new ArrayList<>();
            for (int i = 0; i < o.warmUp + o.notifications; i++) {
                DisruptionAlert a = alert("burst-" + i, i, T0.toEpochMilli());
                burst.add(a);
                producer.send(new ProducerRecord<>(topics.disruptionAlerts().name(), a.getHsCode(), a));
            }
            producer.flush();

            double baseline = baseline(hook, tree, burst, inFlight, o.warmUp);
            hook.reset();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            try (AlertsService service = AlertsService.start(config.with(Map.of(AlertsSettings.ROUTING_FILE, routing.toString())), quiet)) {
                hook.awaitCount(o.warmUp + o.notifications, Duration.ofMinutes(5));
                double dispatcher = hook.rate(o.warmUp);
                hook.reset();

                // latency at a steady rate: alert record timestamp -> receipt at the webhook
                int paced = o.rate * o.latencySeconds;
                long interval = 1_000_000_000L / o.rate;
                long next = System.nanoTime();
                for (int i = 0; i < paced; i++) {
                    // parked, not spun: a spinning sender took one of the two cores from the dispatcher it measures
                    for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    next += interval;
                    long sentAt = System.currentTimeMillis();
                    DisruptionAlert a = alert("paced-" + i, i, sentAt);
                    hook.sentAt.put(AlertLabels.transitionKey(a), sentAt);
                    producer.send(new ProducerRecord<>(topics.disruptionAlerts().name(), null, sentAt, a.getHsCode(), a));
                }
                producer.flush();
                hook.awaitCount(paced, Duration.ofMinutes(2));
                if (service.failure().isPresent()) {
                    throw new IllegalStateException("dispatcher failed", service.failure().get());
                }
                double p50 = hook.latencyPercentile(50);
                double p99 = hook.latencyPercentile(99);
                w.printf(Locale.ROOT, "%-42s %,12.0f notifications/s%n", "baseline: plain Jetty HttpClient", baseline);
                w.printf(Locale.ROOT, "%-42s %,12.0f notifications/s   %.2f x baseline (target >= 5,000/s and >= 0.8 x)%n",
                        "dispatcher -> webhook", dispatcher, dispatcher / baseline);
                w.printf(Locale.ROOT, "%-42s p50 %5.1f ms   p99 %5.1f ms (target p99 <= 50 ms)%n",
                        "latency at " + o.rate + "/s, record -> receipt", p50, p99);
                w.flush();
                json.put("inFlight", inFlight);
                json.put("baselineNotificationsPerSecond", baseline);
                json.put("notificationsPerSecond", dispatcher);
                json.put("ratioToBaseline", dispatcher / baseline);
                json.put("latencyRatePerSecond", o.rate);
                json.put("latencyP50Ms", p50);
                json.put("latencyP99Ms", p99);
            }
        } finally {
            hook.close();
            Files.deleteIfExists(routing);
            Files.deleteIfExists(dir);
        }
        if (o.progressRecords > 0) {
            json.put("progress", progress(config, o, w));
        }
        return json;
    }

    static DisruptionAlert alert(String alertId, int i, long at) {
        String hs = String.format(Locale.ROOT, "85%04d", i % 10_000);
        Instant t = Instant.ofEpochMilli(at);
        return DisruptionAlert.newBuilder()
                .setAlertId(alertId).setRuleId("rare-earth-magnet-delay-p95").setHsCode(hs).setCommodityName("commodity " + hs)
                .setCommodityGroup("permanent-magnets").setState(AlertState.FIRING).setSeverity(Severity.CRITICAL)
                .setMetric("p95DelayHours").setObservedValue(126.83).setThreshold(72)
                .setWindowStart(t.minusSeconds(86_400)).setWindowEnd(t).setEpisodeStart(t.minusSeconds(1800)).setEventAt(t)
                .setExplanation("p95DelayHours = 126.83 > 72 (fire threshold) for commodity " + hs + " after export-licence tightening")
                .setLabels(Map.of()).setAnnotations(Map.of("summary", "commodity " + hs + ": p95 delay 126.83 h above 72 h"))
                .build();
    }

    /**
     * The same payloads the dispatcher sends (same route, same group key, same signature), posted by
     * a plain client: the HTTP client the dispatcher uses, with nothing around it.
     */
    private static double baseline(Webhook hook, RoutingConfig tree, List<DisruptionAlert> alerts, int inFlight, int warmUp) throws Exception {
        HttpClient client = new HttpClient();
        client.start();
        try {
            Semaphore slots = new Semaphore(inFlight);
            URI url = URI.create(hook.url());
            for (DisruptionAlert a : alerts) {
                Map<String, String> labels = AlertLabels.of(a);
                var route = tree.root().match(labels).get(0);
                Map<String, String> groupLabels = route.groupLabels(labels);
                PendingAlert p = new PendingAlert(a, labels, Set.of("hook"), null);
                Notification n = Notification.of("hook", AlertGroups.groupKey(route, groupLabels), groupLabels, List.of(p), false, 0);
                byte[] body = Payloads.webhook(n, LINKS);
                slots.acquire();
                client.newRequest(url).method(HttpMethod.POST)
                        .headers(h -> h.put("Idempotency-Key", n.id())
                                .put(WebhookSignature.HEADER, WebhookSignature.header(SECRET, Instant.now().getEpochSecond(), body)))
                        .body(new BytesRequestContent("application/json", body))
                        .send(result -> slots.release());
            }
            hook.awaitCount(alerts.size(), Duration.ofMinutes(5));
            return hook.rate(warmUp);
        } finally {
            client.stop();
        }
    }

    /**
     * {@code records} deliveries spread evenly over {@code days} days, written straight to a
     * progress topic (keys and values as the dispatcher writes them); then an expiring view with
     * the default retention is started on it, as a dispatcher does at start.
     */
    private static Map<String, Object> progress(ChokepointConfig config, Options o, PrintWriter w) throws Exception {
        Duration retention = Duration.ofMillis(config.alertDispatcherTopics().deliveries().retention().ms());
        String topic = config.get(ChokepointConfig.TOPIC_PREFIX, "") + "progress-bench";
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1).configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1"))))
                    .all().get();
        }
        w.printf(Locale.ROOT, "loading %,d deliveries over %d days into the progress topic...%n", o.progressRecords, o.progressDays);
        w.flush();
        Properties p = config.kafkaClientProperties();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        // Not idempotent: on a topic created a moment ago the first batch of a partition can meet NOT_LEADER while later
        // ones land, and the idempotent producer then retried OutOfOrderSequence for its whole 120 s delivery timeout.
        // One request in flight keeps the records in timestamp order without sequence numbers.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        long now = System.currentTimeMillis();
        long span = Duration.ofDays(o.progressDays).toMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (long i = 0; i < o.progressRecords; i++) {
                long at = now - span + span * i / o.progressRecords;
                String key = "hook|" + UUID.nameUUIDFromBytes(Long.toString(i).getBytes()) + (i % 2 == 0 ? ":firing" : ":resolved");
                producer.send(new ProducerRecord<>(topic, null, at, key, "{\"outcome\":\"DELIVERED\"}"));
            }
            producer.flush();
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long start = System.nanoTime();
        try (CompactedTopicView view = CompactedTopicView.expiring(topic, config.kafkaClientProperties(), retention, Duration.ofMillis(5),
                Clock.systemUTC())) {
            view.start(Duration.ofMinutes(10));
            double startSeconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            long heap = Math.max(0, rt.totalMemory() - rt.freeMemory() - before);
            int live = view.size();
            w.printf(Locale.ROOT, "%-42s %,d entries in memory (the last %s), %,.1f MB heap (%,d B/entry), start %.2f s%n",
                    "progress after " + String.format(Locale.ROOT, "%,d", o.progressRecords) + " deliveries", live,
                    retention.toDays() + " days", heap / 1e6, live == 0 ? 0 : heap / live, startSeconds);
            w.flush();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deliveries", o.progressRecords);
            m.put("days", o.progressDays);
            m.put("retention", retention.toString());
            m.put("liveEntries", live);
            m.put("heapBytes", heap);
            m.put("startSeconds", startSeconds);
            return m;
        }
    }

    /**
     * A local webhook endpoint that counts receipts and, for paced alerts, their latency. Receipts go
     * to lock-free queues: a copy-on-write list copied itself on every receipt, which made the
     * receiver slower the longer a run lasted. (Jetty instead of the JDK server measured the same.)
     */
    private static final class Webhook implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
        private final AtomicInteger arrived = new AtomicInteger();
        private final Queue<Long> latencies = new ConcurrentLinkedQueue<>();
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();

        Webhook() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(pool);
            server.createContext("/hook", ex -> {
                ex.getRequestBody().readAllBytes();
                long now = System.currentTimeMillis();
                Long sent = sentAt.get(ex.getRequestHeaders().getFirst("Idempotency-Key"));
                if (sent != null) {
                    latencies.add(now - sent);
                }
                arrivals.add(now);
                arrived.incrementAndGet();
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void reset() {
            arrivals.clear();
            arrived.set(0);
            latencies.clear();
        }

        void awaitCount(int n, Duration timeout) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (arrived.get() < n) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("only " + arrived.get() + " of " + n + " notifications arrived within " + timeout);
                }
                Thread.sleep(5);
            }
        }

        /** Receipts per second after the first {@code skip}. */
        double rate(int skip) {
            List<Long> all = new ArrayList<>(arrivals);
            Collections.sort(all);
            List<Long> a = all.subList(Math.min(skip, all.size() - 1), all.size());
            return (a.size() - 1) * 1000.0 / Math.max(1, a.get(a.size() - 1) - a.get(0));
        }

        double latencyPercentile(int p) {
            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            return l.isEmpty() ? Double.NaN : l.get(Math.min(l.size() - 1, (int) Math.ceil(p / 100.0 * l.size()) - 1));
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
