package io.chokepoint.rules.evaluation;

import io.chokepoint.events.Topics;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.model.RuleSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.WallclockTimestampExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The rule-evaluation topology:
 * <pre>
 *  alert-rules (compacted) ──► global store alert-rules-store
 *  commodity-delay-current (live view) ──┐
 *  commodity-delay-stats (finals) ───────┴─► rule-evaluator ──► disruption-alerts
 *                            stores: rule-episodes (rule × commodity), rule-commodity-cursors
 * </pre>
 * {@link #addTo} adds it to an existing topology (one application with the delay aggregation);
 * {@link #build} makes a standalone one.
 */
public final class RuleTopology {

    public static final String STATS_SOURCE = "rules-stats-source";
    public static final String LIVE_SOURCE = "rules-live-source";
    public static final String RULES_SOURCE = "alert-rules-source";
    public static final String RULES_UPDATER = "alert-rules-updater";
    public static final String PROCESSOR = "rule-evaluator";
    public static final String SINK = "disruption-alerts-sink";

    /** Global: rule id → rule document, mirrored from the alert-rules topic. */
    public static final String RULES_STORE = "alert-rules-store";
    /** Open (pending or firing) episodes, key {@code hsCode|ruleId}. */
    public static final String EPISODES_STORE = "rule-episodes";
    /** Per commodity: newest evaluated window, wall-clock last seen, latest stats snapshot. */
    public static final String CURSORS_STORE = "rule-commodity-cursors";
    /** Per change rule and commodity: the detector's baseline and statistics, key {@code hsCode|ruleId}. */
    public static final String DETECTORS_STORE = "rule-detectors";

    private RuleTopology() {
    }

    /**
     * Wiring for an application: rule files from {@code rules.files} (default: the shipped rules),
     * settings from {@code rules.*}, topics from the configuration. Rule-file problems throw
     * {@link io.chokepoint.rules.model.RuleFileException} with file, line and field.
     */
    public static void addTo(Topology topology, io.chokepoint.events.config.ChokepointConfig config) {
        addTo(topology, config.topics(), RuleSettings.fileRules(config), RuleSettings.from(config), CommodityCatalogue.defaultCatalogue());
    }

    public static Topology build(Topics topics, RuleSet fileRules, RuleSettings settings, CommodityCatalogue catalogue) {
        Topology topology = new Topology();
        addTo(topology, topics, fileRules, settings, catalogue);
        return topology;
    }

    public static Topology build(Topics topics, RuleSet fileRules, RuleSettings settings, CommodityCatalogue catalogue, boolean offline) {
        Topology topology = new Topology();
        addTo(topology, topics, fileRules, settings, catalogue, offline);
        return topology;
    }

    public static void addTo(Topology topology, Topics topics, RuleSet fileRules, RuleSettings settings, CommodityCatalogue catalogue) {
        addTo(topology, topics, fileRules, settings, catalogue, false);
    }

    /**
     * @param offline for offline replays: in-memory episode and cursor stores without changelog. A
     *                TopologyTestDriver commits after every record, so a RocksDB flush per commit
     *                would dominate a backtest's run time, and nothing is ever restored
     */
    public static void addTo(Topology topology, Topics topics, RuleSet fileRules, RuleSettings settings, CommodityCatalogue catalogue,
                             boolean offline) {
        // the rules store is a mirror of a compacted topic: no changelog, rebuilt from the topic at start
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RULES_STORE), Serdes.String(), Serdes.String())
                        .withLoggingDisabled(),
                RULES_SOURCE, new WallclockTimestampExtractor(), new StringDeserializer(), new StringDeserializer(),
                topics.alertRules().name(), RULES_UPDATER, RuleStoreUpdater::new);

        topology.addSource(AutoOffsetReset.earliest(), STATS_SOURCE, new StringDeserializer(),
                topics.commodityDelayStats().valueSerde().deserializer(), topics.commodityDelayStats().name());
        topology.addSource(AutoOffsetReset.earliest(), LIVE_SOURCE, new StringDeserializer(),
                topics.commodityDelayCurrent().valueSerde().deserializer(), topics.commodityDelayCurrent().name());
        String rulesTopic = topics.alertRules().name();
        topology.addProcessor(PROCESSOR, () -> new RuleEvaluator(fileRules, settings, catalogue, rulesTopic), STATS_SOURCE, LIVE_SOURCE);
        var episodes = Stores.keyValueStoreBuilder(offline ? Stores.inMemoryKeyValueStore(EPISODES_STORE)
                : Stores.persistentKeyValueStore(EPISODES_STORE), Serdes.String(), new EpisodeSerde());
        var cursors = Stores.keyValueStoreBuilder(offline ? Stores.inMemoryKeyValueStore(CURSORS_STORE)
                : Stores.persistentKeyValueStore(CURSORS_STORE), Serdes.String(), new CommodityCursorSerde());
        topology.addStateStore(offline ? episodes.withLoggingDisabled() : episodes, PROCESSOR);
        topology.addStateStore(offline ? cursors.withLoggingDisabled() : cursors, PROCESSOR);
        var detectors = Stores.keyValueStoreBuilder(offline ? Stores.inMemoryKeyValueStore(DETECTORS_STORE)
                : Stores.persistentKeyValueStore(DETECTORS_STORE), Serdes.String(), new DetectorStateSerde());
        topology.addStateStore(offline ? detectors.withLoggingDisabled() : detectors, PROCESSOR);
        topology.addSink(SINK, topics.disruptionAlerts().name(), new StringSerializer(),
                topics.disruptionAlerts().valueSerde().serializer(), PROCESSOR);
    }
}
