package io.chokepoint.streams;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.streams.dlq.RetryingDeserializer;
import io.chokepoint.streams.dlq.RetryingSerializer;
import io.chokepoint.streams.dlq.TolerantDeserializer;
import io.chokepoint.streams.policy.LicenceTallySerde;
import io.chokepoint.streams.policy.TariffRouteSerde;
import io.chokepoint.streams.shipment.ShipmentStateSerde;
import io.chokepoint.streams.state.StatsRecordSerde;
import io.chokepoint.streams.window.DelayPaneSerde;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

import java.time.Duration;
import java.util.Map;

/**
 * The delay-aggregation topology as a pure function of its settings and topic catalogue:
 * shipment milestones, tariff changes and licence decisions (all keyed by HS code, so
 * co-partitioned) flow through three small processors in one sub-topology — shipment state and
 * de-duplication, then the panes (accumulate), then the windows (combine) — which write one live
 * view per changed commodity per emit interval to {@code commodity-delay-current} and exactly one
 * final record per window to {@code commodity-delay-stats}. A milestone costs a constant number
 * of store operations, whatever the number of open windows, shipments and commodities.
 *
 * <pre>
 *  shipment-milestones ─┐
 *  tariff-changes ──────┼─► delay-shipment-tracker ─► delay-pane-accumulator ─► delay-window-emitter ─┬─► commodity-delay-current
 *  export-licenses ─────┘   open-shipments,           delay-panes,              delay-stats,          └─► commodity-delay-stats
 *                           shipment-timers,          licence-decisions,        delay-current,
 *                           overdue-shipments,        tariff-routes             delay-clock
 *                           delay-clock, seen-licences
 * </pre>
 */
public final class DelayAggregation {

    public static final String MILESTONES_SOURCE = "shipment-milestones-source";
    public static final String TARIFFS_SOURCE = "tariff-changes-source";
    public static final String LICENCES_SOURCE = "export-licenses-source";
    /** Validates facts, owns the task's time, keeps shipment state (and with it de-duplication) and overdue counts. */
    public static final String TRACKER = "delay-shipment-tracker";
    /** Adds each counted observation to its pane, licence decisions to their tally, tariff changes to their route. */
    public static final String ACCUMULATOR = "delay-pane-accumulator";
    /** Slides the windows over the panes and emits live views and finals. */
    public static final String EMITTER = "delay-window-emitter";
    public static final String SINK = "commodity-delay-stats-sink";
    public static final String LIVE_SINK = "commodity-delay-current-sink";

    /** Delay observations per commodity and pane (window advance): the bounded building blocks of windows. */
    public static final String PANES_STORE = "delay-panes";
    /** The final stats of every window, queryable by commodity and time range; refilled from the finals topic, no changelog. */
    public static final String STATS_STORE = "delay-stats";
    /** The live view of every commodity: the last record written to {@code commodity-delay-current}. */
    public static final String CURRENT_STORE = "delay-current";
    /** Licence decision counts per commodity and pane, queryable by commodity and time range. */
    public static final String LICENCES_STORE = "licence-decisions";
    /** Tariff history per route, key {@code hs|imposing|target}, queryable by commodity prefix. */
    public static final String TARIFFS_STORE = "tariff-routes";
    /** Shipment state, key {@code hs|shipmentId}: furthest milestone, counted observations, timer. */
    public static final String SHIPMENTS_STORE = "open-shipments";
    /** Shipments by their next timer, key {@code time|hs|shipmentId}; derived from the shipment states, no changelog. */
    public static final String TIMERS_STORE = "shipment-timers";
    /** Overdue shipments per commodity. */
    public static final String OVERDUE_STORE = "overdue-shipments";
    /** The task's persisted wall-clock watermark, the token of its timer index and the oldest window its finals have not closed. */
    public static final String CLOCK_STORE = "delay-clock";
    /** Licence decision event ids already counted, for de-duplication. */
    public static final String SEEN_STORE = "seen-licences";

    public static final String METRICS_SCOPE = "chokepoint-delay-aggregation";
    public static final String METRIC_LATE_DROPPED = "late-observations-dropped";
    public static final String METRIC_DUPLICATES = "duplicate-facts-skipped";

    private DelayAggregation() {
    }

    public static Topology build(StreamsSettings settings, Topics topics) {
        return build(settings, topics, false);
    }

    /**
     * @param offline for offline replays (backtests): in-memory stores without cache or changelog.
     *                A TopologyTestDriver commits after every record, so flushing ten RocksDB
     *                stores per record would dominate the replay, and nothing is ever restored
     */
    public static Topology build(StreamsSettings settings, Topics topics, boolean offline) {
        Topology topology = new Topology();
        addTo(topology, settings, topics, offline);
        return topology;
    }

    /** Adds the delay aggregation to {@code topology}: {@link #build}, for a topology that carries more (the rules, an offline replay's). */
    public static void addTo(Topology topology, StreamsSettings settings, Topics topics, boolean offline) {
        Duration size = settings.windowSize();
        int panesPerWindow = (int) (size.toMillis() / settings.windowAdvance().toMillis());
        int attempts = settings.registryRetries();
        Duration backoff = settings.registryBackoff();

        // A window store's changelog is compact+delete with time retention, judged by record timestamps,
        // which are event times: replayed history (2025 stories, imported files) would be deleted from
        // the changelog at the broker's next retention check and lost on restore. The broker's append
        // time keeps retention in wall-clock time; restore reads the window from the key, not the timestamp.
        Map<String, String> windowChangelog = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

        // an unreadable record reaches the tracker, which rejects it: dead-lettered with its offset (TolerantDeserializer)
        topology.addSource(AutoOffsetReset.earliest(), MILESTONES_SOURCE, new EventTimeExtractor(), new StringDeserializer(),
                readerOf(topics.shipmentMilestones(), attempts, backoff),
                topics.shipmentMilestones().name());
        topology.addSource(AutoOffsetReset.earliest(), TARIFFS_SOURCE, new EventTimeExtractor(), new StringDeserializer(),
                readerOf(topics.tariffChanges(), attempts, backoff),
                topics.tariffChanges().name());
        topology.addSource(AutoOffsetReset.earliest(), LICENCES_SOURCE, new EventTimeExtractor(), new StringDeserializer(),
                readerOf(topics.exportLicenses(), attempts, backoff),
                topics.exportLicenses().name());

        topology.addProcessor(TRACKER, () -> new ShipmentTracker(settings), MILESTONES_SOURCE, TARIFFS_SOURCE, LICENCES_SOURCE);
        topology.addProcessor(ACCUMULATOR, () -> new PaneAccumulator(settings), TRACKER);
        WindowHistory history = offline ? null : new WindowHistory(topics.commodityDelayStats().name(), topics.shipmentMilestones().name(),
                topics.commodityDelayStats().valueSerde().deserializer(), size);
        topology.addProcessor(EMITTER, () -> new WindowEmitter(settings, history), ACCUMULATOR);

        topology.addStateStore(durable(offline, Stores.keyValueStoreBuilder(kv(offline, SHIPMENTS_STORE),
                Serdes.String(), new ShipmentStateSerde()), null), TRACKER);
        // the due-time index is rebuilt from the shipments on restore: never changelogged
        var timers = Stores.keyValueStoreBuilder(kv(offline, TIMERS_STORE), Serdes.String(), Serdes.Long()).withLoggingDisabled();
        topology.addStateStore(offline ? timers : timers.withCachingEnabled(), TRACKER);
        topology.addStateStore(durable(offline, Stores.keyValueStoreBuilder(kv(offline, CLOCK_STORE),
                Serdes.String(), Serdes.Long()), null), TRACKER, EMITTER);
        topology.addStateStore(durable(offline, Stores.windowStoreBuilder(
                        window(offline, SEEN_STORE, settings.dedupRetention().multipliedBy(3), Duration.ofMillis(1), false),
                        Serdes.String(), Serdes.Long()), windowChangelog), TRACKER);
        topology.addStateStore(durable(offline, Stores.keyValueStoreBuilder(kv(offline, OVERDUE_STORE),
                Serdes.String(), Serdes.Long()), null), TRACKER, EMITTER);

        topology.addStateStore(durable(offline, Stores.windowStoreBuilder(
                        window(offline, PANES_STORE, settings.paneRetention(), settings.windowAdvance(), false),
                        Serdes.String(), new DelayPaneSerde(panesPerWindow)), windowChangelog),
                ACCUMULATOR, EMITTER);
        topology.addStateStore(durable(offline, Stores.windowStoreBuilder(
                        window(offline, LICENCES_STORE, settings.storeRetention(), settings.windowAdvance(), false),
                        Serdes.String(), new LicenceTallySerde()), windowChangelog), ACCUMULATOR, EMITTER);
        topology.addStateStore(durable(offline, Stores.keyValueStoreBuilder(kv(offline, TARIFFS_STORE),
                Serdes.String(), new TariffRouteSerde()), null), ACCUMULATOR, EMITTER);

        // not cached: each window's final is written once and read only by queries, so a cache would
        // coalesce nothing and only add a put, a flush and an eviction per final (at 5,600 commodities
        // the record cache was a third of the stream thread). No changelog: the finals topic holds
        // the same records, and the emitter refills the store from it when its task starts (WindowHistory)
        topology.addStateStore(Stores.windowStoreBuilder(
                        window(offline, STATS_STORE, settings.storeRetention(), size, false),
                        Serdes.String(), new StatsRecordSerde()).withCachingDisabled().withLoggingDisabled(), EMITTER);
        topology.addStateStore(durable(offline, Stores.keyValueStoreBuilder(kv(offline, CURRENT_STORE),
                Serdes.String(), new StatsRecordSerde()), null), EMITTER);

        topology.addSink(SINK, topics.commodityDelayStats().name(), new StringSerializer(),
                new RetryingSerializer<>(topics.commodityDelayStats().valueSerde().serializer(), attempts, backoff), EMITTER);
        topology.addSink(LIVE_SINK, topics.commodityDelayCurrent().name(), new StringSerializer(),
                new RetryingSerializer<>(topics.commodityDelayCurrent().valueSerde().serializer(), attempts, backoff), EMITTER);
    }

    /** A source's value reader: rides out registry outages, and hands an unreadable record on to the tracker. */
    private static TolerantDeserializer readerOf(Topic<?, ?> topic, int attempts, Duration backoff) {
        return new TolerantDeserializer(new RetryingDeserializer<>(topic.valueSerde().deserializer(), attempts, backoff));
    }

    /**
     * A store that survives a restart: cached, so repeated writes between commits coalesce, and
     * changelogged ({@code changelogConfig}, or the defaults when null). Offline, neither: a replay
     * is never restored, and a TopologyTestDriver commits after every record, so a cache would only
     * add a flush and a changelog a serialised copy of every write.
     */
    private static <T extends StateStore> StoreBuilder<T> durable(boolean offline, StoreBuilder<T> builder,
                                                                  Map<String, String> changelogConfig) {
        return offline ? builder.withLoggingDisabled() : changelogged(builder.withCachingEnabled(), changelogConfig);
    }

    private static <T extends StateStore> StoreBuilder<T> changelogged(StoreBuilder<T> builder, Map<String, String> changelogConfig) {
        return changelogConfig == null ? builder : builder.withLoggingEnabled(changelogConfig);
    }

    private static KeyValueBytesStoreSupplier kv(boolean inMemory, String name) {
        return inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    private static WindowBytesStoreSupplier window(boolean inMemory, String name, Duration retention, Duration size, boolean duplicates) {
        return inMemory ? Stores.inMemoryWindowStore(name, retention, size, duplicates)
                : Stores.persistentWindowStore(name, retention, size, duplicates);
    }
}
