package io.chokepoint.streams;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.config.ChokepointConfig.ConfigProblem;
import io.chokepoint.streams.shipment.ShipmentSchedule;

import java.time.Duration;

/**
 * The knobs of the delay aggregation, read once from {@link ChokepointConfig} ({@code streams.*} keys)
 * and validated together, so a bad combination fails at start-up with the key that is wrong.
 *
 * @param windowSize          length of a stats window ({@code streams.window.size}, default 24h)
 * @param windowAdvance       hop between window starts ({@code streams.window.advance}, default 1h)
 * @param grace               how long after its end a window still accepts late observations ({@code streams.window.grace}, default 2h)
 * @param emitInterval        wall-clock interval between live updates of a changed window; 0 emits on every change
 *                            ({@code streams.emit.interval}, default 250ms: with the commit interval it bounds how soon an alert can fire)
 * @param closeCheckInterval  wall-clock interval of the punctuator that closes windows of quiet partitions and
 *                            re-counts overdue shipments ({@code streams.close.check.interval}, default 10s)
 * @param storeRetention      how long emitted stats stay queryable ({@code streams.store.retention}, default 7d)
 * @param dedupRetention      how long a (shipment, milestone) is remembered for de-duplication
 *                            ({@code streams.dedup.retention}, default window size + grace, never less)
 * @param overdueMargin       how far past its planned time a shipment's next milestone may be before the shipment counts as overdue
 *                            ({@code streams.overdue.margin}, default 24h)
 * @param shipmentRetention   an open shipment with no news for this long (event time) is forgotten ({@code streams.shipment.retention}, default 90d)
 * @param schedule            planned lead time from each milestone to the next ({@code streams.schedule.*})
 * @param topRoutes           how many routes the stats name ({@code streams.top.routes}, default 3)
 * @param registryRetries     attempts at a schema-registry call before the application fails ({@code streams.registry.retries}, default 5)
 * @param registryBackoff     first back-off between those attempts, doubled each time ({@code streams.registry.backoff}, default 500ms)
 */
public record StreamsSettings(
        Duration windowSize,
        Duration windowAdvance,
        Duration grace,
        Duration emitInterval,
        Duration closeCheckInterval,
        Duration storeRetention,
        Duration dedupRetention,
        Duration overdueMargin,
        Duration shipmentRetention,
        ShipmentSchedule schedule,
        int topRoutes,
        int registryRetries,
        Duration registryBackoff) {

    public static final String WINDOW_SIZE = "streams.window.size";
    public static final String WINDOW_ADVANCE = "streams.window.advance";
    public static final String WINDOW_GRACE = "streams.window.grace";
    public static final String EMIT_INTERVAL = "streams.emit.interval";
    public static final String CLOSE_CHECK_INTERVAL = "streams.close.check.interval";
    public static final String STORE_RETENTION = "streams.store.retention";
    public static final String DEDUP_RETENTION = "streams.dedup.retention";
    public static final String OVERDUE_MARGIN = "streams.overdue.margin";
    public static final String SHIPMENT_RETENTION = "streams.shipment.retention";
    public static final String TOP_ROUTES = "streams.top.routes";
    public static final String REGISTRY_RETRIES = "streams.registry.retries";
    public static final String REGISTRY_BACKOFF = "streams.registry.backoff";

    public StreamsSettings {
        positive(WINDOW_SIZE, windowSize);
        positive(WINDOW_ADVANCE, windowAdvance);
        notNegative(WINDOW_GRACE, grace);
        notNegative(EMIT_INTERVAL, emitInterval);
        positive(CLOSE_CHECK_INTERVAL, closeCheckInterval);
        notNegative(OVERDUE_MARGIN, overdueMargin);
        positive(SHIPMENT_RETENTION, shipmentRetention);
        if (windowAdvance.compareTo(windowSize) > 0) {
            throw new ConfigProblem(WINDOW_ADVANCE, "(" + windowAdvance + ") must not exceed " + WINDOW_SIZE + " (" + windowSize
                    + "): observations between windows would be lost");
        }
        if (windowSize.toMillis() % windowAdvance.toMillis() != 0) {
            throw new ConfigProblem(WINDOW_ADVANCE, "(" + windowAdvance + ") must divide " + WINDOW_SIZE + " (" + windowSize
                    + ") evenly, e.g. 24h windows advancing by 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h");
        }
        Duration closedAfter = windowSize.plus(grace);
        if (storeRetention.compareTo(closedAfter) < 0) {
            throw new ConfigProblem(STORE_RETENTION, "(" + storeRetention + ") must be at least window size + grace (" + closedAfter + ")");
        }
        if (dedupRetention == null || dedupRetention.compareTo(closedAfter) < 0) {
            // shorter would let a re-imported file double-count observations still inside an open window
            dedupRetention = closedAfter;
        }
        if (topRoutes < 0) {
            throw new ConfigProblem(TOP_ROUTES, "must be 0 or more, got " + topRoutes);
        }
        if (registryRetries < 1) {
            throw new ConfigProblem(REGISTRY_RETRIES, "must be at least 1, got " + registryRetries);
        }
        notNegative(REGISTRY_BACKOFF, registryBackoff);
    }

    /** The defaults of the documentation: 24h windows hopping by 1h, 2h grace. */
    public static StreamsSettings defaults() {
        return from(ChokepointConfig.of(java.util.Map.of()));
    }

    public static StreamsSettings from(ChokepointConfig config) {
        Duration size = config.getDuration(WINDOW_SIZE, Duration.ofHours(24));
        Duration grace = config.getDuration(WINDOW_GRACE, Duration.ofHours(2));
        return new StreamsSettings(
                size,
                config.getDuration(WINDOW_ADVANCE, Duration.ofHours(1)),
                grace,
                config.getDuration(EMIT_INTERVAL, Duration.ofMillis(250)),
                config.getDuration(CLOSE_CHECK_INTERVAL, Duration.ofSeconds(10)),
                config.getDuration(STORE_RETENTION, Duration.ofDays(7)),
                config.getDuration(DEDUP_RETENTION, size.plus(grace)),
                config.getDuration(OVERDUE_MARGIN, Duration.ofHours(24)),
                config.getDuration(SHIPMENT_RETENTION, Duration.ofDays(90)),
                ShipmentSchedule.from(config),
                config.getInt(TOP_ROUTES, 3),
                config.getInt(REGISTRY_RETRIES, 5),
                config.getDuration(REGISTRY_BACKOFF, Duration.ofMillis(500)));
    }

    /** A copy with other window settings, for tests and backtests. */
    /** How long a delay pane is kept: until every window holding it has closed (size + grace), plus one advance. */
    public Duration paneRetention() {
        return windowSize.plus(grace).plus(windowAdvance);
    }

    public StreamsSettings withWindows(Duration size, Duration advance, Duration grace) {
        return new StreamsSettings(size, advance, grace, emitInterval, closeCheckInterval,
                max(storeRetention, size.plus(grace)), max(dedupRetention, size.plus(grace)), overdueMargin, shipmentRetention,
                schedule, topRoutes, registryRetries, registryBackoff);
    }

    public StreamsSettings withEmitInterval(Duration interval) {
        return new StreamsSettings(windowSize, windowAdvance, grace, interval, closeCheckInterval, storeRetention, dedupRetention,
                overdueMargin, shipmentRetention, schedule, topRoutes, registryRetries, registryBackoff);
    }

    public StreamsSettings withOverdue(Duration margin, ShipmentSchedule newSchedule) {
        return new StreamsSettings(windowSize, windowAdvance, grace, emitInterval, closeCheckInterval, storeRetention, dedupRetention,
                margin, shipmentRetention, newSchedule, topRoutes, registryRetries, registryBackoff);
    }

    public StreamsSettings withRegistryRetries(int retries, Duration backoff) {
        return new StreamsSettings(windowSize, windowAdvance, grace, emitInterval, closeCheckInterval, storeRetention, dedupRetention,
                overdueMargin, shipmentRetention, schedule, topRoutes, retries, backoff);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigProblem(key, "must be a positive duration, got " + d);
        }
    }

    private static void notNegative(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigProblem(key, "must not be negative, got " + d);
        }
    }
}
