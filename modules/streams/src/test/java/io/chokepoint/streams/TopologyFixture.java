package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.dlq.DeadLetterCounter;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A {@link TopologyTestDriver} around {@link DelayAggregation} with the real registry serdes of
 * the shared dev cluster, typed input topics, the stats and dead-letter outputs and helpers to
 * write scenarios: given these facts, when time passes, then these stats.
 */
final class TopologyFixture implements AutoCloseable {

    /** Event times of the scenarios start here; wall-clock time is the driver's own. */
    static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");

    final Topics topics;
    final TopologyTestDriver driver;
    final DeadLetterCounter deadLetterCounter = new DeadLetterCounter();
    final TestInputTopic<String, ShipmentMilestone> milestones;
    final TestInputTopic<String, TariffChange> tariffs;
    final TestInputTopic<String, ExportLicenseDecision> licences;
    final TestInputTopic<String, byte[]> rawMilestones;
    final TestOutputTopic<String, CommodityDelayStats> stats;
    final TestOutputTopic<String, CommodityDelayStats> live;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;
    final String applicationId;
    private final Path stateDir;
    private int sequence;

    TopologyFixture(DevCluster cluster, StreamsSettings settings) {
        this(cluster, settings, Map.of());
    }

    TopologyFixture(DevCluster cluster, StreamsSettings settings, Map<String, String> overrides) {
        try {
            this.stateDir = Files.createTempDirectory("chokepoint-ttd");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String scope = UUID.randomUUID().toString().substring(0, 8);
        ChokepointConfig config = cluster.config().with(Map.of(
                "topic.prefix", "t" + scope + "-",
                StreamsProperties.APPLICATION_ID, "ttd-" + scope,
                StreamsProperties.STATE_DIR, stateDir.toString()));
        this.applicationId = "ttd-" + scope;
        this.topics = config.topics();
        Properties props = StreamsProperties.from(config, settings, topics, deadLetterCounter);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.putAll(overrides);
        this.driver = new TopologyTestDriver(DelayAggregation.build(settings, topics), props, WALL_START);
        this.milestones = driver.createInputTopic(topics.shipmentMilestones().name(), new StringSerializer(),
                topics.shipmentMilestones().valueSerde().serializer());
        this.tariffs = driver.createInputTopic(topics.tariffChanges().name(), new StringSerializer(),
                topics.tariffChanges().valueSerde().serializer());
        this.licences = driver.createInputTopic(topics.exportLicenses().name(), new StringSerializer(),
                topics.exportLicenses().valueSerde().serializer());
        this.rawMilestones = driver.createInputTopic(topics.shipmentMilestones().name(), new StringSerializer(), new ByteArraySerializer());
        this.stats = driver.createOutputTopic(topics.commodityDelayStats().name(), new StringDeserializer(),
                topics.commodityDelayStats().valueSerde().deserializer());
        this.live = driver.createOutputTopic(topics.commodityDelayCurrent().name(), new StringDeserializer(),
                topics.commodityDelayCurrent().valueSerde().deserializer());
        this.deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), topics.deadLetters().valueSerde().deserializer());
    }

    /** {@code T0} plus an offset such as {@code 10h30m}, {@code 59.999s} or {@code 3d}. */
    static Instant at(String offset) {
        if (offset.endsWith("d")) {
            return T0.plus(Duration.ofDays(Long.parseLong(offset.substring(0, offset.length() - 1))));
        }
        return T0.plus(Duration.parse("PT" + offset.toUpperCase()));
    }

    /** Pipes a milestone whose delay is {@code delayHours} (actual − planned), reached at {@code actual}. */
    void milestone(String hs, String shipment, Milestone milestone, Instant actual, double delayHours) {
        milestone(hs, shipment, milestone, actual, delayHours, "CN", "US");
    }

    void milestone(String hs, String shipment, Milestone milestone, Instant actual, double delayHours, String origin, String destination) {
        Instant planned = actual.minusMillis(Math.round(delayHours * 3_600_000));
        milestones.pipeInput(hs, milestoneRecord(hs, shipment, milestone, planned, actual, origin, destination), actual);
    }

    void milestonePlanned(String hs, String shipment, Milestone milestone, Instant planned, Instant actual) {
        milestones.pipeInput(hs, milestoneRecord(hs, shipment, milestone, planned, actual, "CN", "US"), actual);
    }

    static ShipmentMilestone milestoneRecord(String hs, String shipment, Milestone milestone, Instant planned, Instant actual,
                                             String origin, String destination) {
        return ShipmentMilestone.newBuilder()
                .setEventId(shipment + ":" + milestone)
                .setShipmentId(shipment)
                .setHsCode(hs)
                .setOrigin(origin)
                .setDestination(destination)
                .setMilestone(milestone)
                .setPlannedAt(planned)
                .setActualAt(actual)
                .setQuantityKg(1000.0)
                .setCarrier("COSCO")
                .build();
    }

    void tariff(String hs, String imposing, String target, double from, double to, Instant announced, Instant effective) {
        TariffChange change = TariffChange.newBuilder()
                .setEventId("tariff-" + (++sequence))
                .setChangeId("T" + sequence)
                .setAnnouncedAt(announced)
                .setEffectiveAt(effective)
                .setImposingCountry(imposing)
                .setTargetCountry(target)
                .setHsCode(hs)
                .setPreviousRatePct(from)
                .setNewRatePct(to)
                .setMeasure(to >= from ? TariffMeasure.INCREASE : TariffMeasure.DECREASE)
                .build();
        tariffs.pipeInput(hs, change, announced);
    }

    void licence(String hs, LicenceDecision decision, Instant decided) {
        ExportLicenseDecision d = ExportLicenseDecision.newBuilder()
                .setEventId("licence-" + (++sequence))
                .setLicenceId("L" + sequence)
                .setDecidedAt(decided)
                .setAuthority("MOFCOM")
                .setExporter("CN")
                .setImporter("US")
                .setHsCode(hs)
                .setDecision(decision)
                .setQuantityKg(null)
                .build();
        licences.pipeInput(hs, d, decided);
    }

    /** Moves stream time with an observation of an unrelated commodity. */
    void advanceStreamTimeTo(Instant t) {
        milestone("999999", "clock-" + (++sequence), Milestone.DEPARTED, t, 0.0);
    }

    List<CommodityDelayStats> readStats() {
        List<CommodityDelayStats> out = new ArrayList<>();
        for (TestRecord<String, CommodityDelayStats> r : stats.readRecordsToList()) {
            out.add(r.value());
        }
        return out;
    }

    /** Live views written since the last call. */
    List<CommodityDelayStats> readLive() {
        List<CommodityDelayStats> out = new ArrayList<>();
        for (TestRecord<String, CommodityDelayStats> r : live.readRecordsToList()) {
            out.add(r.value());
        }
        return out;
    }

    static List<CommodityDelayStats> finals(List<CommodityDelayStats> records, String hs) {
        return records.stream().filter(r -> r.getHsCode().equals(hs) && r.getIsFinal()).toList();
    }

    static List<CommodityDelayStats> of(List<CommodityDelayStats> records, String hs) {
        return records.stream().filter(r -> r.getHsCode().equals(hs)).toList();
    }

    double metric(String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().contains(DelayAggregation.METRICS_SCOPE)) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name + " in " + driver.metrics().keySet().stream()
                .filter(m -> m.group().contains("chokepoint")).toList());
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // temp dir; the OS cleans it eventually
        }
    }
}
