package io.chokepoint.rules.offline;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.StreamsSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Runs the production topologies in-process on a {@link TopologyTestDriver}: either the rule
 * evaluation alone (fed stats records, for {@code rules test}) or the delay aggregation and the
 * rule evaluation together in one topology (fed input events, for {@code rules backtest}). The
 * stats the aggregation writes flow into the evaluator exactly as on a cluster.
 */
public final class Replay implements AutoCloseable {

    /** The replay's wall clock; it only moves when {@link #advanceWallClock} is called. */
    private static final Instant WALL_START = Instant.parse("2000-01-01T00:00:00Z");

    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final Topics topics;
    private final TestOutputTopic<String, DisruptionAlert> alerts;
    private final TestOutputTopic<String, CommodityDelayStats> statsOut;
    private TestInputTopic<String, CommodityDelayStats> statsIn;
    private TestInputTopic<String, CommodityDelayStats> liveIn;
    /** The input topics by name, for {@link #pipeEvent}. */
    private final Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();

    private Replay(Topology topology, Topics topics) {
        this.topics = topics;
        try {
            this.stateDir = Files.createTempDirectory("chokepoint-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chokepoint-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline.invalid:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // as in production (StreamsProperties): without it Kafka 4.4 warns on every replay
        props.put("processing.exception.handler.global.enabled", "true");
        // records are piped one at a time, so there is never a partition to wait for; with the
        // default (0) the driver formatted a "waiting for data" message per record, 7 % of a backtest
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        this.driver = new TopologyTestDriver(topology, props, WALL_START);
        this.alerts = driver.createOutputTopic(topics.disruptionAlerts().name(), new StringDeserializer(),
                topics.disruptionAlerts().valueSerde().deserializer());
        this.statsOut = driver.createOutputTopic(topics.commodityDelayStats().name(), new StringDeserializer(),
                topics.commodityDelayStats().valueSerde().deserializer());
    }

    /** The rule evaluation alone; feed it with {@link #pipeStats}. */
    public static Replay ofRules(RuleSet rules, RuleSettings settings) {
        Topics topics = OfflineTopics.create();
        Replay replay = new Replay(RuleTopology.build(topics, rules, settings, CommodityCatalogue.defaultCatalogue(), true), topics);
        replay.statsIn = replay.driver.createInputTopic(topics.commodityDelayStats().name(), new StringSerializer(),
                topics.commodityDelayStats().valueSerde().serializer());
        replay.liveIn = replay.driver.createInputTopic(topics.commodityDelayCurrent().name(), new StringSerializer(),
                topics.commodityDelayCurrent().valueSerde().serializer());
        return replay;
    }

    /** Delay aggregation plus rule evaluation; feed it with {@link #pipeEvent}. */
    public static Replay ofHistory(RuleSet rules, RuleSettings ruleSettings, StreamsSettings streamsSettings) {
        Topics topics = OfflineTopics.create();
        Topology topology = DelayAggregation.build(streamsSettings, topics, true);
        RuleTopology.addTo(topology, topics, rules, ruleSettings, CommodityCatalogue.defaultCatalogue(), true);
        Replay replay = new Replay(topology, topics);
        for (Topic<String, ? extends SpecificRecord> input : List.of(topics.shipmentMilestones(), topics.tariffChanges(),
                topics.exportLicenses())) {
            @SuppressWarnings("unchecked") // each topic is only fed events of its own type (OfflineTopics.inputOf)
            Serializer<SpecificRecord> values = (Serializer<SpecificRecord>) input.valueSerde().serializer();
            replay.inputs.put(input.name(), replay.driver.createInputTopic(input.name(), new StringSerializer(), values));
        }
        return replay;
    }

    /** A final record to the finals topic (stamped window end - 1 ms), a live view to the live topic (stamped as of). */
    public void pipeStats(CommodityDelayStats stats) {
        if (stats.getIsFinal()) {
            statsIn.pipeInput(stats.getHsCode(), stats, stats.getWindowEnd().toEpochMilli() - 1);
        } else {
            long asOf = stats.getAsOf() != null ? stats.getAsOf().toEpochMilli() : stats.getWindowEnd().toEpochMilli() - 1;
            liveIn.pipeInput(stats.getHsCode(), stats, asOf);
        }
    }

    public void pipeEvent(SpecificRecord event, Instant eventTime) {
        OfflineTopics.Input input = OfflineTopics.inputOf(topics, event);
        inputs.get(input.topic().name()).pipeInput(input.key(), event, eventTime);
    }

    /** Moves the wall clock: closes windows of quiet partitions, reconciles rules, closes quiet commodities. */
    public void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** Alerts emitted since the last call, in order. */
    public List<TestRecord<String, DisruptionAlert>> drainAlerts() {
        return alerts.readRecordsToList();
    }

    /** Number of stats records emitted since the last call (live and final); drains them. */
    public long drainStatsCount() {
        return statsOut.readRecordsToList().size();
    }

    public Topics topics() {
        return topics;
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
