package io.chokepoint.streams.query;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffRoute;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read access to the delay aggregation's state for the dashboard and the query API: stats
 * windows of a commodity by time range, the tariff routes and licence tallies behind the policy
 * context, and {@link #ownerOf(String)} to route a request to the instance that holds a
 * commodity (its stores are partitioned like the input topics).
 *
 * <p>Reads see only this instance's partitions; ask {@link #ownerOf} first and forward the
 * request when another instance owns the commodity.
 */
public final class StatsQueries {

    /** The stores read; backed by {@link KafkaStreams} in the application, by the test driver in tests. */
    public interface Stores {
        /** Final stats, one per commodity and window. */
        ReadOnlyWindowStore<String, CommodityDelayStats> stats();

        /** The live view, one per commodity. */
        ReadOnlyKeyValueStore<String, CommodityDelayStats> current();

        ReadOnlyWindowStore<String, LicenceTally> licences();

        ReadOnlyKeyValueStore<String, TariffRoute> tariffs();
    }

    /** Where a commodity's state lives. {@code local} is true when this instance can answer itself. */
    public record Owner(String hsCode, HostInfo active, List<HostInfo> standbys, boolean local) {
    }

    private final Stores stores;
    private final KafkaStreams streams;
    private final HostInfo self;

    private StatsQueries(Stores stores, KafkaStreams streams, HostInfo self) {
        this.stores = stores;
        this.streams = streams;
        this.self = self;
    }

    /** Queries over a running application; {@code self} is this instance's {@code application.server} (or null when single). */
    public static StatsQueries of(KafkaStreams streams, HostInfo self) {
        return new StatsQueries(new StreamsStores(streams), streams, self);
    }

    /** Queries over any store source (the test driver, a backtest); {@link #ownerOf} answers "local" then. */
    public static StatsQueries of(Stores stores) {
        return new StatsQueries(stores, null, null);
    }

    /** Final stats windows of a commodity whose start lies in {@code [from, to]}, oldest first (kept {@code streams.store.retention}, 7 days by default). */
    public List<CommodityDelayStats> windows(String hsCode, Instant from, Instant to) {
        List<CommodityDelayStats> out = new ArrayList<>();
        try (WindowStoreIterator<CommodityDelayStats> it = stores.stats().fetch(hsCode, from, to)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /** The live view of a commodity held here: the stats of its trailing window as of now. */
    public Optional<CommodityDelayStats> latest(String hsCode) {
        return Optional.ofNullable(stores.current().get(hsCode));
    }

    /** The live view of every commodity held here, by HS code. */
    public Map<String, CommodityDelayStats> latestPerCommodity() {
        Map<String, CommodityDelayStats> latest = new TreeMap<>();
        try (KeyValueIterator<String, CommodityDelayStats> it = stores.current().all()) {
            it.forEachRemaining(kv -> latest.put(kv.key, kv.value));
        }
        return latest;
    }

    /** Tariff history of every route of a commodity. */
    public List<TariffRoute> tariffRoutes(String hsCode) {
        List<TariffRoute> routes = new ArrayList<>();
        try (KeyValueIterator<String, TariffRoute> it = stores.tariffs().prefixScan(hsCode + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> routes.add(kv.value));
        }
        return routes;
    }

    /** Licence decisions of a commodity in panes starting within {@code [from, to]}, summed. */
    public LicenceTally licences(String hsCode, Instant from, Instant to) {
        LicenceTally total = LicenceTally.EMPTY;
        try (WindowStoreIterator<LicenceTally> it = stores.licences().fetch(hsCode, from, to)) {
            while (it.hasNext()) {
                total = total.plus(it.next().value);
            }
        }
        return total;
    }

    /** Which instance holds a commodity's state (for forwarding a query there). */
    public Owner ownerOf(String hsCode) {
        if (streams == null || self == null) {
            // without application.server the instances know nothing of each other: answer locally
            return new Owner(hsCode, self, List.of(), true);
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(DelayAggregation.CURRENT_STORE, hsCode, Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new InvalidStateStoreException("no instance owns commodity " + hsCode + " right now (state "
                    + streams.state() + "); retry after the rebalance");
        }
        boolean local = self.equals(metadata.activeHost());
        return new Owner(hsCode, metadata.activeHost(), List.copyOf(metadata.standbyHosts()), local);
    }

    private record StreamsStores(KafkaStreams streams) implements Stores {
        @Override
        public ReadOnlyWindowStore<String, CommodityDelayStats> stats() {
            return streams.store(StoreQueryParameters.fromNameAndType(DelayAggregation.STATS_STORE, QueryableStoreTypes.windowStore()));
        }

        @Override
        public ReadOnlyKeyValueStore<String, CommodityDelayStats> current() {
            return streams.store(StoreQueryParameters.fromNameAndType(DelayAggregation.CURRENT_STORE, QueryableStoreTypes.keyValueStore()));
        }

        @Override
        public ReadOnlyWindowStore<String, LicenceTally> licences() {
            return streams.store(StoreQueryParameters.fromNameAndType(DelayAggregation.LICENCES_STORE, QueryableStoreTypes.windowStore()));
        }

        @Override
        public ReadOnlyKeyValueStore<String, TariffRoute> tariffs() {
            return streams.store(StoreQueryParameters.fromNameAndType(DelayAggregation.TARIFFS_STORE, QueryableStoreTypes.keyValueStore()));
        }
    }
}
