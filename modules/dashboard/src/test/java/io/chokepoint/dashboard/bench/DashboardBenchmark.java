package io.chokepoint.dashboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.dashboard.support.DashboardInstances;
import io.chokepoint.dashboard.support.DashboardInstances.Instance;
import io.chokepoint.dashboard.support.HeadlessChromium;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.http.HttpServer;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Figures of the dashboard at every HS-6 subheading's worth of commodities (5,600 by default),
 * one streams instance with default windows on the embedded cluster:
 * <ol>
 *   <li>{@code GET /api/commodities} latency, against the same bytes served as a plain response
 *       by the same HTTP server stack (the baseline: HTTP minus the query);</li>
 *   <li>page load to first rows in headless Chromium;</li>
 *   <li>SSE delay, stats record written → the page's feed handler, against a raw Kafka consumer
 *       of the same records in the same run.</li>
 * </ol>
 * Run: {@code mvn -B -q -o -pl modules/dashboard -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chokepoint.dashboard.bench.DashboardBenchmark -Dexec.args="[COMMODITIES] [UPDATES]"}
 */
public final class DashboardBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int commodities = args.length > 0 ? Integer.parseInt(args[0]) : 5_600;
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        try (DevCluster cluster = DevCluster.start();
             DashboardInstances instances = new DashboardInstances(cluster, Map.of(
                     "topic.partitions", "6",
                     StreamsSettings.WINDOW_SIZE, "24h", StreamsSettings.WINDOW_ADVANCE, "1h",
                     StreamsSettings.WINDOW_GRACE, "2h", StreamsSettings.EMIT_INTERVAL, "5s"))) {
            Instance instance = instances.start();
            instances.awaitRunning();
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < commodities; i++) {
                codes.add(Integer.toString(100_000 + i * 7));
            }
            for (int i = 0; i < codes.size(); i++) {
                instances.milestone(codes.get(i), i % 97, 10);
                instances.milestone(codes.get(i), (i * 31) % 113, 20);
            }
            instances.flush();
            long seeded = System.nanoTime();
            while (live(instances, instance) < commodities) {
                if (System.nanoTime() - seeded > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("stats for " + commodities + " commodities did not appear within 5 minutes");
                }
                Thread.sleep(500);
            }
            System.out.printf(Locale.ROOT, "%,d commodities with live stats (default windows 24h/1h, emit 5s, 6 partitions, 1 instance)%n", commodities);

            apiLatency(instance);
            Path chromium = HeadlessChromium.find().orElse(null);
            if (chromium == null) {
                System.out.println("no Chromium on the PATH: page and SSE figures skipped");
                return;
            }
            try (HeadlessChromium browser = new HeadlessChromium(chromium, 1500, 950)) {
                pageLoad(browser, instance);
                sseDelay(browser, instances, codes, updates);
            }
        }
    }

    private static int live(DashboardInstances instances, Instance instance) throws Exception {
        HttpResponse<String> r = instances.get(instance, "/api/commodities?sort=p95");
        if (r.statusCode() != 200) {
            return 0;
        }
        int n = 0;
        for (JsonNode c : JSON.readTree(r.body()).path("commodities")) {
            n += c.path("live").isObject() ? 1 : 0;
        }
        return n;
    }

    private static void apiLatency(Instance instance) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest api = HttpRequest.newBuilder(URI.create(instance.url("/api/commodities"))).build();
        byte[] body = client.send(api, HttpResponse.BodyHandlers.ofByteArray()).body();
        try (HttpServer plain = HttpServer.on("127.0.0.1", 0)
                .routes(r -> r.get("/same-bytes", ctx -> ctx.contentType("application/json").result(body))).start()) {
            HttpRequest baseline = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/same-bytes")).build();
            double[] a = timed(client, api, 200);
            double[] b = timed(client, baseline, 200);
            System.out.printf(Locale.ROOT, "GET /api/commodities (%,d bytes), 200 sequential requests after 30 warm-up: p50 %.1f ms, p99 %.1f ms"
                    + " | same bytes, plain response, same server stack: p50 %.1f ms, p99 %.1f ms | ratio p50 %.1f×%n",
                    body.length, pct(a, 50), pct(a, 99), pct(b, 50), pct(b, 99), pct(a, 50) / pct(b, 50));
        }
    }

    private static double[] timed(HttpClient client, HttpRequest request, int n) throws Exception {
        for (int i = 0; i < 30; i++) {
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + r.statusCode());
            }
        }
        return ms;
    }

    private static void pageLoad(HeadlessChromium browser, Instance instance) {
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            browser.open(instance.url("/"));
            browser.waitFor("window.chokepoint && window.chokepoint.firstRowsAt !== null", Duration.ofSeconds(60));
            ms[i] = browser.eval("window.chokepoint.firstRowsAt").asDouble();
        }
        browser.waitFor("document.getElementById('status').textContent === 'live'", Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "page load (navigation start) → first rows rendered, 5 loads: median %.0f ms, max %.0f ms%n",
                pct(ms, 50), pct(ms, 100));
    }

    /** Live-view records written at a steady rate, each for another commodity; received by the page and by a raw consumer. */
    private static void sseDelay(HeadlessChromium browser, DashboardInstances instances, List<String> codes, int updates) throws Exception {
        String topic = instances.topics().commodityDelayStats().name();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Long> raw = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        java.util.Properties props = instances.config().kafkaClientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Thread baseline = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToEnd(parts);
                parts.forEach(consumer::position);
                while (reading.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        raw.putIfAbsent(r.key(), System.currentTimeMillis());
                    }
                }
            }
        }, "raw-baseline");
        baseline.start();
        Thread.sleep(2_000);
        browser.eval("window.chokepoint.statsReceivedAt = {}; window.longTasks = [];"
                + "new PerformanceObserver((l) => l.getEntries().forEach((e) => window.longTasks.push(e.duration))).observe({ type: 'longtask' })");
        int rate = 200;
        long start = System.nanoTime();
        for (int i = 0; i < updates; i++) {
            long due = start + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            String hs = codes.get(i % codes.size());
            sent.put(hs, System.currentTimeMillis());
            instances.stats(stats(hs, i));
            instances.flush();
        }
        Thread.sleep(5_000);
        reading.set(false);
        baseline.join();
        JsonNode received = browser.eval("window.chokepoint.statsReceivedAt");
        JsonNode longTasks = browser.eval("window.longTasks");
        List<Double> page = new ArrayList<>();
        List<Double> kafka = new ArrayList<>();
        sent.forEach((hs, t) -> {
            if (received.has(hs)) {
                page.add((double) (received.get(hs).asLong() - t));
            }
            if (raw.containsKey(hs)) {
                kafka.add((double) (raw.get(hs) - t));
            }
        });
        double[] p = page.stream().mapToDouble(Double::doubleValue).toArray();
        double[] k = kafka.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(Locale.ROOT, "SSE delay, stats record written → page handler, %d updates at %d/s over %,d rows: received %d, p50 %.0f ms, p99 %.0f ms"
                        + " | raw Kafka consumer of the same records: received %d, p50 %.0f ms, p99 %.0f ms | ratio p99 %.1f×%n",
                sent.size(), rate, codes.size(), p.length, pct(p, 50), pct(p, 99), k.length, pct(k, 50), pct(k, 99), pct(p, 99) / Math.max(1, pct(k, 99)));
        double longest = 0;
        for (JsonNode t : longTasks) {
            longest = Math.max(longest, t.asDouble());
        }
        System.out.printf(Locale.ROOT, "page main thread during those %d s: %d long task(s) over 50 ms, longest %.0f ms%n",
                updates / rate, longTasks.size(), longest);
    }

    private static CommodityDelayStats stats(String hs, int i) {
        Instant start = DashboardInstances.T0.plus(Duration.ofHours(1));
        return CommodityDelayStats.newBuilder().setHsCode(hs).setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(24)))
                .setIsFinal(false).setCount(3).setMeanDelayHours(40).setMaxDelayHours(90).setP50DelayHours(30)
                .setP95DelayHours(80 + i % 10).setCustomsHolds(1).build();
    }

    private static double pct(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
