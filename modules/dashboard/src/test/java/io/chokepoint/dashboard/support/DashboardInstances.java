package io.chokepoint.dashboard.support;

import io.chokepoint.dashboard.Dashboard;
import io.chokepoint.dashboard.DashboardSettings;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Streams instances of one application, each with its dashboard, on the shared embedded cluster,
 * isolated by topic prefix and application id; plus producers of the facts the tests need.
 */
public final class DashboardInstances implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");

    /** One streams instance and its HTTP side. */
    public record Instance(StreamsRuntime runtime, Dashboard dashboard, int port) implements AutoCloseable {
        public String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        @Override
        public void close() {
            dashboard.close();
            runtime.close();
        }
    }

    private final ChokepointConfig config;
    private final Topics topics;
    private final List<Instance> instances = new ArrayList<>();
    private final KafkaProducer<String, Object> producer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Integer> shipments = new HashMap<>();

    public DashboardInstances(DevCluster cluster, Map<String, String> settings) throws IOException {
        String scope = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> base = new HashMap<>(Map.of(
                "topic.prefix", "dash" + scope + "-",
                "topic.partitions", "4",
                StreamsProperties.APPLICATION_ID, "dash-" + scope,
                StreamsSettings.WINDOW_SIZE, "1h",
                StreamsSettings.WINDOW_ADVANCE, "1h",
                StreamsSettings.WINDOW_GRACE, "10m",
                StreamsSettings.EMIT_INTERVAL, "100ms",
                "kafka.commit.interval.ms", "100"));
        base.putAll(settings);
        this.config = cluster.config().with(base);
        this.topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, topics, (short) 1).ensureAll();
        }
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ValueSerializer(topics));
    }

    public ChokepointConfig config() {
        return config;
    }

    public Topics topics() {
        return topics;
    }

    /** Starts one more instance, advertising its own HTTP port as {@code application.server}. */
    public Instance start() throws IOException {
        int port = freePort();
        ChokepointConfig own = config.with(Map.of(
                StreamsProperties.APPLICATION_SERVER, "127.0.0.1:" + port,
                StreamsProperties.STATE_DIR, Files.createTempDirectory("chokepoint-dash").toString(),
                DashboardSettings.HTTP_HOST, "127.0.0.1",
                DashboardSettings.HTTP_PORT, Integer.toString(port)));
        StreamsRuntime runtime = new StreamsRuntime(own, StreamsSettings.from(own));
        runtime.start();
        Dashboard dashboard = Dashboard.start(runtime, own, DashboardSettings.from(own));
        Instance instance = new Instance(runtime, dashboard, port);
        instances.add(instance);
        return instance;
    }

    /** Waits until every instance runs and its dashboard has read the alert and policy history. */
    public void awaitRunning() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> instances.stream().allMatch(i ->
                i.runtime().streams().state() == KafkaStreams.State.RUNNING && i.dashboard().caughtUp()));
    }

    public void stop(Instance instance) {
        instances.remove(instance);
        instance.close();
    }

    /** A shipment of {@code hs} reaching a milestone {@code delayHours} late, {@code minutes} after T0 (event time). */
    public void milestone(String hs, double delayHours, long minutes) {
        int n = shipments.merge(hs, 1, Integer::sum);
        Instant actual = T0.plus(Duration.ofMinutes(minutes));
        Instant planned = actual.minusMillis(Math.round(delayHours * 3_600_000));
        ShipmentMilestone m = ShipmentMilestone.newBuilder()
                .setEventId(hs + "-s" + n + ":DEPARTED").setShipmentId(hs + "-s" + n).setHsCode(hs)
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.DEPARTED)
                .setPlannedAt(planned).setActualAt(actual).setQuantityKg(1000.0).setCarrier("COSCO").build();
        send(topics.shipmentMilestones().name(), hs, actual, m);
    }

    public void tariff(String hs, double from, double to, Instant announced) {
        TariffChange t = TariffChange.newBuilder().setEventId("t-" + UUID.randomUUID()).setChangeId("T-" + hs + "-" + announced.toEpochMilli())
                .setAnnouncedAt(announced).setEffectiveAt(announced).setImposingCountry("US").setTargetCountry("CN").setHsCode(hs)
                .setPreviousRatePct(from).setNewRatePct(to).setMeasure(TariffMeasure.INCREASE).build();
        send(topics.tariffChanges().name(), hs, announced, t);
    }

    /** A FIRING (or RESOLVED) transition as rule evaluation publishes it. */
    public void alert(String hs, AlertState state, Severity severity, double observed, String explanation) {
        DisruptionAlert a = DisruptionAlert.newBuilder().setAlertId("p95-high:" + hs + ":1").setRuleId("p95-high").setHsCode(hs)
                .setCommodityName("").setCommodityGroup("").setState(state).setSeverity(severity).setMetric("p95DelayHours")
                .setObservedValue(observed).setThreshold(48).setWindowStart(T0).setWindowEnd(T0.plus(Duration.ofHours(1)))
                .setEpisodeStart(T0).setEventAt(Instant.now()).setExplanation(explanation).build();
        send(topics.disruptionAlerts().name(), hs, Instant.now(), a);
    }

    /** A live-view record written straight to the stats topic (for measuring the feed alone). */
    public void stats(CommodityDelayStats s) {
        send(topics.commodityDelayStats().name(), s.getHsCode(), s.getWindowStart(), s);
    }

    private void send(String topic, String key, Instant timestamp, Object value) {
        producer.send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, value));
    }

    public void flush() {
        producer.flush();
    }

    public HttpResponse<String> get(Instance instance, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(instance.url(path))).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        new ArrayList<>(instances).forEach(this::stop);
    }

    /** Serialises each value with its topic's serde (one producer for every topic). */
    private static final class ValueSerializer implements org.apache.kafka.common.serialization.Serializer<Object> {
        private final Map<String, org.apache.kafka.common.serialization.Serializer<Object>> byTopic = new HashMap<>();

        @SuppressWarnings("unchecked")
        ValueSerializer(Topics topics) {
            for (io.chokepoint.events.Topic<?, ?> t : topics.all()) {
                byTopic.put(t.name(), (org.apache.kafka.common.serialization.Serializer<Object>) t.valueSerde().serializer());
            }
        }

        @Override
        public byte[] serialize(String topic, Object value) {
            return byTopic.get(topic).serialize(topic, value);
        }
    }
}
