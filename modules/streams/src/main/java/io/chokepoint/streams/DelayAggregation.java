package io.chokepoint.streams;

import io.chokepoint.events.Topics;
import io.chokepoint.streams.dlq.RetryingDeserializer;
import io.chokepoint.streams.dlq.RetryingSerializer;
import io.chokepoint.streams.policy.LicenceTallySerde;
import io.chokepoint.streams.policy.TariffRouteSerde;
import io.chokepoint.streams.shipment.OpenShipmentSerde;
import io.chokepoint.streams.state.StatsRecordSerde;
import io.chokepoint.streams.window.DelayPaneSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The delay-aggregation topology as a pure function of its settings and topic catalogue:
 * shipment milestones, tariff changes and licence decisions (all keyed by HS code, so
 * co-partitioned) flow into one processor whose state stores hold the delay panes, the
 * policy tables and the open shipments; it writes {@code CommodityDelayStats} — live updates
 * and exactly one final record per window — to {@code commodity-delay-stats}.
 *
 * <pre>
 *  shipment-milestones ─┐
 *  tariff-changes ──────┼─► delay-aggregation ──► commodity-delay-stats
 *  export-licenses ─────┘    stores: delay-panes, delay-stats, licence-decisions,
 *                                     tariff-routes, open-shipments, pending-finals, seen-events
 * </pre>
 */
public final class DelayAggregation {

    public static final String MILESTONES_SOURCE = "shipment-milestones-source";
    public static final String TARIFFS_SOURCE = "tariff-changes-source";
    public static final String LICENCES_SOURCE = "export-licenses-source";
    public static final String PROCESSOR = "delay-aggregation";
    public static final String SINK = "commodity-delay-stats-sink";
    public static final String LIVE_SINK = "commodity-delay-current-sink";

    /** Delay observations per commodity and pane (window advance): the mergeable building blocks of windows. */
    public static final String PANES_STORE = "delay-panes";
    /** The final stats of every window, queryable by commodity and time range. */
    public static final String STATS_STORE = "delay-stats";
    /** The live view of every commodity: the last record written to {@code commodity-delay-current}. */
    public static final String CURRENT_STORE = "delay-current";
    /** Licence decision counts per commodity and pane, queryable by commodity and time range. */
    public static final String LICENCES_STORE = "licence-decisions";
    /** Tariff history per route, key {@code hs|imposing|target}, queryable by commodity prefix. */
    public static final String TARIFFS_STORE = "tariff-routes";
    /** Shipments not yet arrived, key {@code hs|shipmentId}. */
    public static final String SHIPMENTS_STORE = "open-shipments";
    /** Per commodity, the range of window starts that still owe their final record ({@code first:last}), and the watermark. */
    public static final String PENDING_FINALS_STORE = "pending-finals";
    /** (shipment, milestone) pairs and licence event ids already counted, for de-duplication. */
    public static final String SEEN_STORE = "seen-events";

    public static final String METRICS_SCOPE = "chokepoint-delay-aggregation";
    public static final String METRIC_LATE_DROPPED = "late-observations-dropped";
    public static final String METRIC_DUPLICATES = "duplicate-facts-skipped";

    private DelayAggregation() {
    }

    public static Topology build(StreamsSettings settings, Topics topics) {
        return build(settings, topics, false);
    }

    /**
     * @param inMemoryStores in-memory stores, for offline replays: a TopologyTestDriver commits
     *                       after every record, and RocksDB flushes would dominate a backtest
     */
    public static Topology build(StreamsSettings settings, Topics topics, boolean inMemoryStores) {
        Duration size = settings.windowSize();
        Duration paneRetention = size.plus(settings.grace()).plus(settings.windowAdvance());
        int attempts = settings.registryRetries();
        Duration backoff = settings.registryBackoff();

        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.earliest(), MILESTONES_SOURCE, new EventTimeExtractor(), new StringDeserializer(),
                new RetryingDeserializer<>(topics.shipmentMilestones().valueSerde().deserializer(), attempts, backoff),
                topics.shipmentMilestones().name());
        topology.addSource(AutoOffsetReset.earliest(), TARIFFS_SOURCE, new EventTimeExtractor(), new StringDeserializer(),
                new RetryingDeserializer<>(topics.tariffChanges().valueSerde().deserializer(), attempts, backoff),
                topics.tariffChanges().name());
        topology.addSource(AutoOffsetReset.earliest(), LICENCES_SOURCE, new EventTimeExtractor(), new StringDeserializer(),
                new RetryingDeserializer<>(topics.exportLicenses().valueSerde().deserializer(), attempts, backoff),
                topics.exportLicenses().name());

        topology.addProcessor(PROCESSOR, () -> new DelayAggregationProcessor(settings), MILESTONES_SOURCE, TARIFFS_SOURCE, LICENCES_SOURCE);

        topology.addStateStore(Stores.windowStoreBuilder(
                        windowStore(inMemoryStores, PANES_STORE, paneRetention, settings.windowAdvance(), false),
                        Serdes.String(), new DelayPaneSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.windowStoreBuilder(
                        windowStore(inMemoryStores, STATS_STORE, settings.storeRetention(), size, false),
                        Serdes.String(), new StatsRecordSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.windowStoreBuilder(
                        windowStore(inMemoryStores, LICENCES_STORE, settings.storeRetention(), settings.windowAdvance(), false),
                        Serdes.String(), new LicenceTallySerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.windowStoreBuilder(
                        windowStore(inMemoryStores, SEEN_STORE, settings.dedupRetention().multipliedBy(3), Duration.ofMillis(1), false),
                        Serdes.String(), Serdes.Long()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(keyValueStore(inMemoryStores, TARIFFS_STORE),
                Serdes.String(), new TariffRouteSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(keyValueStore(inMemoryStores, SHIPMENTS_STORE),
                Serdes.String(), new OpenShipmentSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(keyValueStore(inMemoryStores, CURRENT_STORE),
                Serdes.String(), new StatsRecordSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(keyValueStore(inMemoryStores, PENDING_FINALS_STORE),
                Serdes.String(), Serdes.String()).withCachingEnabled(), PROCESSOR);

        topology.addSink(SINK, topics.commodityDelayStats().name(), new StringSerializer(),
                new RetryingSerializer<>(topics.commodityDelayStats().valueSerde().serializer(), attempts, backoff), PROCESSOR);
        topology.addSink(LIVE_SINK, topics.commodityDelayCurrent().name(), new StringSerializer(),
                new RetryingSerializer<>(topics.commodityDelayCurrent().valueSerde().serializer(), attempts, backoff), PROCESSOR);
        return topology;
    }

    private static org.apache.kafka.streams.state.WindowBytesStoreSupplier windowStore(boolean inMemory, String name, Duration retention,
                                                                                     Duration windowSize, boolean duplicates) {
        return inMemory ? Stores.inMemoryWindowStore(name, retention, windowSize, duplicates)
                : Stores.persistentWindowStore(name, retention, windowSize, duplicates);
    }

    private static org.apache.kafka.streams.state.KeyValueBytesStoreSupplier keyValueStore(boolean inMemory, String name) {
        return inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }
}
