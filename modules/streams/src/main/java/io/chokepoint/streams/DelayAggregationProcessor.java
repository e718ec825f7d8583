package io.chokepoint.streams;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffContext;
import io.chokepoint.streams.policy.TariffRoute;
import io.chokepoint.streams.shipment.OpenShipment;
import io.chokepoint.streams.shipment.ShipmentSchedule;
import io.chokepoint.streams.window.DelayObservation;
import io.chokepoint.streams.window.DelayPane;
import io.chokepoint.streams.window.Windowing;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The delay aggregation of one task (a set of co-partitioned input partitions). Milestones,
 * tariff changes and licence decisions of the same commodities arrive here, keyed by HS code,
 * so the policy context is joined from local state without any repartitioning.
 *
 * <p>Windows are kept by hand rather than with {@code suppress()}: a window closes when the
 * watermark passes its end + grace, where the watermark is stream time or — on a partition
 * that has gone quiet — stream time moved on by the wall-clock time spent waiting. Stream time
 * alone never closes the windows of a quiet partition.
 */
final class DelayAggregationProcessor implements Processor<String, Object, String, CommodityDelayStats> {

    private static final Logger LOG = LoggerFactory.getLogger(DelayAggregationProcessor.class);
    private static final String WATERMARK_KEY = "~watermark";
    private static final StringSerializer STRINGS = new StringSerializer();

    private final StreamsSettings settings;
    private final Windowing windowing;

    private ProcessorContext<String, CommodityDelayStats> context;
    private WindowStore<String, DelayPane> panes;
    private WindowStore<String, CommodityDelayStats> stats;
    private WindowStore<String, LicenceTally> licences;
    private WindowStore<String, Long> seen;
    private KeyValueStore<String, TariffRoute> tariffs;
    private KeyValueStore<String, OpenShipment> shipments;
    private KeyValueStore<String, String> pendingFinals;
    private Sensor lateDropped;
    private Sensor duplicatesSkipped;

    /** Highest event time seen (also restored from the committed partition time). */
    private long streamTime = Long.MIN_VALUE;
    /** Highest watermark reached by wall-clock extrapolation; persisted so finals stay final across restarts. */
    private long wallWatermark = Long.MIN_VALUE;
    private long wallAtLastRecord;
    private long earliestPendingClose = Long.MAX_VALUE;
    /** Per commodity, the first and last window start still owing a final record (mirror of the pending-finals store). */
    private final Map<String, long[]> pending = new HashMap<>();
    /** Commodities whose live view changed since the last emission. */
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, Long> lastOverdue = new HashMap<>();
    private KeyValueStore<String, CommodityDelayStats> current;
    /** Pane start of the watermark at the last live emission: the trailing window slides when it moves. */
    private long livePane = Long.MIN_VALUE;

    DelayAggregationProcessor(StreamsSettings settings) {
        this.settings = settings;
        this.windowing = new Windowing(settings.windowSize().toMillis(), settings.windowAdvance().toMillis(), settings.grace().toMillis());
    }

    @Override
    public void init(ProcessorContext<String, CommodityDelayStats> ctx) {
        this.context = ctx;
        this.panes = ctx.getStateStore(DelayAggregation.PANES_STORE);
        this.stats = ctx.getStateStore(DelayAggregation.STATS_STORE);
        this.licences = ctx.getStateStore(DelayAggregation.LICENCES_STORE);
        this.seen = ctx.getStateStore(DelayAggregation.SEEN_STORE);
        this.tariffs = ctx.getStateStore(DelayAggregation.TARIFFS_STORE);
        this.shipments = ctx.getStateStore(DelayAggregation.SHIPMENTS_STORE);
        this.pendingFinals = ctx.getStateStore(DelayAggregation.PENDING_FINALS_STORE);
        this.current = ctx.getStateStore(DelayAggregation.CURRENT_STORE);
        String task = ctx.taskId().toString();
        this.lateDropped = ctx.metrics().addRateTotalSensor(DelayAggregation.METRICS_SCOPE, task,
                DelayAggregation.METRIC_LATE_DROPPED, org.apache.kafka.common.metrics.Sensor.RecordingLevel.INFO);
        this.duplicatesSkipped = ctx.metrics().addRateTotalSensor(DelayAggregation.METRICS_SCOPE, task,
                DelayAggregation.METRIC_DUPLICATES, org.apache.kafka.common.metrics.Sensor.RecordingLevel.INFO);

        try (KeyValueIterator<String, String> it = pendingFinals.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                if (entry.key.equals(WATERMARK_KEY)) {
                    wallWatermark = Long.parseLong(entry.value);
                } else {
                    int colon = entry.value.indexOf(':');
                    pending.put(entry.key, new long[]{Long.parseLong(entry.value.substring(0, colon)), Long.parseLong(entry.value.substring(colon + 1))});
                }
            }
        }
        this.earliestPendingClose = firstPendingClose();
        this.wallAtLastRecord = ctx.currentSystemTimeMs();
        ctx.schedule(settings.closeCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
        if (!settings.emitInterval().isZero()) {
            ctx.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flushLiveUpdates());
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        if (value == null) {
            return; // tombstones carry no fact
        }
        wallAtLastRecord = context.currentSystemTimeMs();
        streamTime = Math.max(streamTime, Math.max(record.timestamp(), context.currentStreamTimeMs()));
        // close first: a window that closes exactly at this record's time must not receive it
        closeDueWindows();
        if (value instanceof ShipmentMilestone milestone) {
            onMilestone(record.key(), milestone);
        } else if (value instanceof TariffChange change) {
            onTariffChange(record.key(), change);
        } else if (value instanceof ExportLicenseDecision decision) {
            onLicenceDecision(record.key(), decision);
        } else {
            throw new InvalidFactException("unexpected value type " + value.getClass().getName());
        }
        if (settings.emitInterval().isZero()) {
            flushLiveUpdates();
        }
    }

    // ---- facts -------------------------------------------------------------------------------

    private void onMilestone(String key, ShipmentMilestone m) {
        String hs = requireKeyedByHsCode(key, m.getHsCode(), "ShipmentMilestone");
        if (m.getShipmentId() == null || m.getShipmentId().isBlank()) {
            throw new InvalidFactException("ShipmentMilestone " + m.getEventId() + ": shipmentId is blank");
        }
        long planned = m.getPlannedAt().toEpochMilli();
        long actual = m.getActualAt().toEpochMilli();
        if (planned < 0 || actual < 0) {
            throw new InvalidFactException("ShipmentMilestone " + m.getEventId() + ": plannedAt/actualAt before 1970 ("
                    + m.getPlannedAt() + ", " + m.getActualAt() + ")");
        }
        trackShipment(hs, m, planned, actual);

        DelayObservation observation = DelayObservation.of(m).orElse(null);
        if (observation == null) {
            return;
        }
        long watermark = watermark();
        List<Long> open = new ArrayList<>();
        for (long start : windowing.windowStartsFor(observation.at())) {
            if (!windowing.isClosed(start, watermark)) {
                open.add(start);
            }
        }
        if (open.isEmpty()) {
            lateDropped.record();
            LOG.debug("dropped late delay observation {} of shipment {} at {}: every window closed (watermark {})",
                    observation.milestone(), observation.shipmentId(), Instant.ofEpochMilli(observation.at()), Instant.ofEpochMilli(watermark));
            return;
        }
        if (alreadySeen(observation.dedupKey(), observation.at())) {
            duplicatesSkipped.record();
            return;
        }
        long paneStart = windowing.paneStart(observation.at());
        DelayPane pane = panes.fetch(hs, paneStart);
        if (pane == null) {
            pane = new DelayPane();
        }
        pane.add(observation);
        panes.put(hs, pane, paneStart);
        for (long start : open) {
            awaitFinal(hs, start);
        }
        dirty.add(hs);
    }

    private void onLicenceDecision(String key, ExportLicenseDecision d) {
        String hs = requireKeyedByHsCode(key, d.getHsCode(), "ExportLicenseDecision");
        long at = d.getDecidedAt().toEpochMilli();
        if (at < 0) {
            throw new InvalidFactException("ExportLicenseDecision " + d.getEventId() + ": decidedAt before 1970 (" + d.getDecidedAt() + ")");
        }
        if (alreadySeen("L|" + d.getEventId(), at)) {
            duplicatesSkipped.record();
            return;
        }
        long paneStart = windowing.paneStart(at);
        LicenceTally tally = licences.fetch(hs, paneStart);
        licences.put(hs, (tally == null ? LicenceTally.EMPTY : tally).plus(d.getDecision()), paneStart);
        dirty.add(hs);
    }

    private void onTariffChange(String key, TariffChange c) {
        String hs = requireKeyedByHsCode(key, c.getHsCode(), "TariffChange");
        if (c.getNewRatePct() < 0 || c.getPreviousRatePct() < 0) {
            throw new InvalidFactException("TariffChange " + c.getEventId() + ": negative rate (" + c.getPreviousRatePct()
                    + " -> " + c.getNewRatePct() + ")");
        }
        String routeKey = TariffRoute.keyOf(hs, c.getImposingCountry(), c.getTargetCountry());
        TariffRoute route = tariffs.get(routeKey);
        tariffs.put(routeKey, (route == null ? TariffRoute.empty(c) : route).with(c));
        // the change is context for the live view now
        dirty.add(hs);
    }

    private void trackShipment(String hs, ShipmentMilestone m, long planned, long actual) {
        String key = hs + "|" + m.getShipmentId();
        OpenShipment known = shipments.get(key);
        OpenShipment next = known == null ? OpenShipment.first(m.getShipmentId(), m.getMilestone(), planned, actual)
                : known.advance(m.getMilestone(), planned, actual);
        if (!next.equals(known)) {
            shipments.put(key, next);
        }
    }

    private static String requireKeyedByHsCode(String key, String hsCode, String type) {
        if (!HsCode.isValid(hsCode)) {
            throw new InvalidFactException(type + ": hsCode '" + hsCode + "' is not a 6-digit HS code");
        }
        if (!hsCode.equals(key)) {
            // a record keyed otherwise may sit on the wrong partition, away from its commodity's state
            throw new InvalidFactException(type + ": record key '" + key + "' differs from hsCode '" + hsCode
                    + "'; inputs must be keyed by HS code");
        }
        return hsCode;
    }

    /**
     * True when this fact was counted before. Facts are remembered in buckets one retention
     * long; a repeat within the retention falls in the same or a neighbouring bucket, so three
     * point look-ups replace a range scan over the store's segments.
     */
    private boolean alreadySeen(String dedupKey, long at) {
        long ttl = settings.dedupRetention().toMillis();
        long bucket = Math.floorDiv(at, ttl) * ttl;
        for (long b = bucket - ttl; b <= bucket + ttl; b += ttl) {
            if (b >= 0 && seen.fetch(dedupKey, b) != null) {
                return true;
            }
        }
        seen.put(dedupKey, at, bucket);
        return false;
    }

    // ---- time --------------------------------------------------------------------------------

    private long watermark() {
        return Math.max(streamTime, wallWatermark);
    }

    private void onWallClock(long now) {
        if (streamTime == Long.MIN_VALUE) {
            long restored = context.currentStreamTimeMs();
            if (restored < 0) {
                return; // nothing seen yet: there is no time to move on
            }
            streamTime = restored;
        }
        long quietFor = Math.max(0, now - wallAtLastRecord);
        long extrapolated = streamTime + quietFor;
        if (quietFor > 0 && extrapolated > wallWatermark) {
            wallWatermark = extrapolated;
            pendingFinals.put(WATERMARK_KEY, Long.toString(wallWatermark));
        }
        closeDueWindows();
        recountOverdue();
        if (settings.emitInterval().isZero()) {
            flushLiveUpdates();
        }
    }

    // ---- windows -----------------------------------------------------------------------------

    /**
     * Remembers that a window owes its final record. Per commodity only the range of such windows
     * is kept (first and last start): an observation touches size/advance windows, and storing
     * each would multiply the writes by that factor.
     */
    private void awaitFinal(String hs, long start) {
        long[] range = pending.get(hs);
        if (range == null) {
            range = new long[]{start, start};
            pending.put(hs, range);
        } else if (start >= range[0] && start <= range[1]) {
            return;
        } else {
            range[0] = Math.min(range[0], start);
            range[1] = Math.max(range[1], start);
        }
        pendingFinals.put(hs, range[0] + ":" + range[1]);
        earliestPendingClose = Math.min(earliestPendingClose, windowing.closeAt(range[0]));
    }

    private long firstPendingClose() {
        long earliest = Long.MAX_VALUE;
        for (long[] range : pending.values()) {
            earliest = Math.min(earliest, windowing.closeAt(range[0]));
        }
        return earliest;
    }

    /** Emits the one final record of every window whose end + grace the watermark has reached. */
    private void closeDueWindows() {
        long watermark = watermark();
        if (watermark < earliestPendingClose) {
            return;
        }
        long lastClosable = windowing.paneStart(watermark - windowing.sizeMs() - windowing.graceMs());
        List<String> commodities = new ArrayList<>(new TreeMap<>(pending).keySet());
        for (String hs : commodities) {
            long[] range = pending.get(hs);
            if (range[0] > lastClosable) {
                continue;
            }
            NavigableSet<Long> starts = new TreeSet<>();
            for (long start = range[0]; start <= Math.min(range[1], lastClosable); start += windowing.advanceMs()) {
                starts.add(start);
            }
            emitAll(hs, starts, true); // oldest window first
            range[0] = starts.last() + windowing.advanceMs();
            if (range[0] > range[1]) {
                pending.remove(hs);
                pendingFinals.delete(hs);
                dirty.add(hs); // its live view empties
            } else {
                pendingFinals.put(hs, range[0] + ":" + range[1]);
            }
        }
        earliestPendingClose = firstPendingClose();
    }

    /**
     * Emits the live view of every changed commodity: the stats of its trailing window, the newest
     * one, ending at the watermark's next advance. When the watermark enters a new pane the
     * trailing window slides, so every commodity with open windows has changed.
     */
    private void flushLiveUpdates() {
        long watermark = watermark();
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        long pane = windowing.paneStart(watermark);
        if (pane != livePane) {
            livePane = pane;
            dirty.addAll(pending.keySet());
            withLicencesInView(dirty);
        }
        if (dirty.isEmpty()) {
            return;
        }
        long start = pane + windowing.advanceMs() - windowing.sizeMs();
        for (String hs : dirty) {
            CommodityDelayStats record = assemble(load(hs, start, start), start, false);
            CommodityDelayStats previous = current.get(hs);
            if (!hasEvidence(record) && (previous == null || !hasEvidence(previous))) {
                continue; // nothing observed: no live view to report or to clear
            }
            record.setAsOf(Instant.ofEpochMilli(watermark));
            current.put(hs, record);
            context.forward(new Record<>(hs, record, watermark), DelayAggregation.LIVE_SINK);
        }
        dirty.clear();
    }

    /**
     * A live view is worth reporting when it holds delay observations, overdue shipments or policy
     * evidence: a tariff in force or licence decisions, so policy rules fire for a commodity that
     * ships nothing.
     */
    private static boolean hasEvidence(CommodityDelayStats s) {
        return s.getCount() > 0 || s.getOverdueShipments() > 0 || s.getLicencesDecided() > 0 || s.getCurrentTariffPct() != null;
    }

    /**
     * Adds the commodities whose live view holds licence decisions: no final is owed for them, yet
     * the decisions slide out of the trailing window as the watermark advances.
     */
    private void withLicencesInView(Set<String> into) {
        try (KeyValueIterator<String, CommodityDelayStats> it = current.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.getLicencesDecided() > 0) {
                    into.add(kv.key);
                }
            });
        }
    }

    /**
     * Emits the finals of several windows of one commodity from one read of its state: with hopping
     * windows an observation touches size/advance windows, and each pane is decoded once rather than once per window.
     */
    private void emitAll(String hs, NavigableSet<Long> starts, boolean isFinal) {
        CommodityState state = load(hs, starts.first(), starts.last());
        for (long start : starts) {
            emit(state, start, isFinal);
        }
    }

    private void emit(CommodityState state, long start, boolean isFinal) {
        CommodityDelayStats record = assemble(state, start, isFinal);
        if (record.getCount() == 0) {
            return; // only policy context: no stats window to report
        }
        stats.put(state.hsCode(), record, start);
        context.forward(new Record<>(state.hsCode(), record, windowing.endOf(start) - 1), DelayAggregation.SINK);
    }

    /** What the stats of one commodity's windows are made of, read once per emission round. */
    private record CommodityState(String hsCode, NavigableMap<Long, DelayPane> panes, NavigableMap<Long, LicenceTally> licences,
                                  List<TariffRoute> routes, long overdue, long watermark) {
    }

    private CommodityState load(String hs, long firstStart, long lastStart) {
        Instant from = Instant.ofEpochMilli(firstStart);
        Instant to = Instant.ofEpochMilli(windowing.endOf(lastStart) - 1);
        NavigableMap<Long, DelayPane> paneMap = new TreeMap<>();
        try (WindowStoreIterator<DelayPane> it = panes.fetch(hs, from, to)) {
            it.forEachRemaining(kv -> paneMap.put(kv.key, kv.value));
        }
        NavigableMap<Long, LicenceTally> licenceMap = new TreeMap<>();
        try (WindowStoreIterator<LicenceTally> it = licences.fetch(hs, from, to)) {
            it.forEachRemaining(kv -> licenceMap.put(kv.key, kv.value));
        }
        List<TariffRoute> routes = new ArrayList<>();
        try (KeyValueIterator<String, TariffRoute> it = tariffs.prefixScan(hs + "|", STRINGS)) {
            it.forEachRemaining(kv -> routes.add(kv.value));
        }
        long watermark = watermark();
        long overdue = overdueShipments(hs, watermark);
        lastOverdue.put(hs, overdue);
        return new CommodityState(hs, paneMap, licenceMap, routes, overdue, watermark);
    }

    private CommodityDelayStats assemble(CommodityState state, long start, boolean isFinal) {
        long end = windowing.endOf(start);
        DelayPane window = new DelayPane();
        state.panes().subMap(start, true, end, false).values().forEach(window::merge);
        LicenceTally licence = LicenceTally.EMPTY;
        for (LicenceTally t : state.licences().subMap(start, true, end, false).values()) {
            licence = licence.plus(t);
        }
        TariffContext tariff = TariffContext.of(state.routes(), Math.min(end - 1, state.watermark()));
        double[] q = window.quantilesHours(0.50, 0.90, 0.95, 0.99);
        Long lastEventAt = lastEventAt(state, start, end, tariff);

        return CommodityDelayStats.newBuilder()
                .setHsCode(state.hsCode())
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setIsFinal(isFinal)
                .setCount(window.count())
                .setDistinctShipments(window.distinctShipments())
                .setMeanDelayHours(window.meanHours())
                .setMinDelayHours(window.minHours())
                .setMaxDelayHours(window.maxHours())
                .setP50DelayHours(q[0])
                .setP90DelayHours(q[1])
                .setP95DelayHours(q[2])
                .setP99DelayHours(q[3])
                .setCustomsHolds(window.customsHolds())
                .setOverdueShipments(state.overdue())
                .setCurrentTariffPct(tariff.currentRatePct())
                .setLastTariffChangePct(tariff.lastChangePoints())
                .setLastTariffChangeAt(tariff.lastChangeAt() == null ? null : Instant.ofEpochMilli(tariff.lastChangeAt()))
                .setLicencesDecided(licence.decided())
                .setLicencesApproved(licence.approved())
                .setLicenceApprovalRate(licence.approvalRate())
                .setTopRoutes(topRoutes(window.routeDelayHours()))
                .setLastEventAt(lastEventAt == null ? null : Instant.ofEpochMilli(lastEventAt))
                .build();
    }

    /**
     * The commodity's own evidence time: its newest fact in the window, or the watermark while it
     * has overdue shipments. Observations and licence decisions are kept per pane, so their time is the end of the newest non-empty pane (capped at
     * the watermark): never earlier than the fact, so quiet handling never closes an episode early.
     */
    private Long lastEventAt(CommodityState state, long start, long end, TariffContext tariff) {
        long newest = Long.MIN_VALUE;
        for (Map.Entry<Long, DelayPane> p : state.panes().subMap(start, true, end, false).descendingMap().entrySet()) {
            if (p.getValue().count() > 0) {
                newest = p.getKey() + windowing.advanceMs() - 1;
                break;
            }
        }
        for (Map.Entry<Long, LicenceTally> p : state.licences().subMap(start, true, end, false).descendingMap().entrySet()) {
            if (p.getValue().decided() > 0) {
                newest = Math.max(newest, p.getKey() + windowing.advanceMs() - 1);
                break;
            }
        }
        if (newest != Long.MIN_VALUE) {
            newest = Math.min(newest, Math.max(state.watermark(), start));
        }
        if (tariff.lastChangeAt() != null) {
            newest = Math.max(newest, tariff.lastChangeAt());
        }
        if (state.overdue() > 0) {
            newest = Math.max(newest, state.watermark()); // stuck shipments are counted as of the watermark
        }
        return newest == Long.MIN_VALUE ? null : newest;
    }

    private List<String> topRoutes(Map<String, Double> routeDelayHours) {
        return routeDelayHours.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(settings.topRoutes())
                .map(Map.Entry::getKey)
                .toList();
    }

    // ---- stuck shipments ---------------------------------------------------------------------

    private long overdueShipments(String hs, long now) {
        ShipmentSchedule schedule = settings.schedule();
        long margin = settings.overdueMargin().toMillis();
        long overdue = 0;
        try (KeyValueIterator<String, OpenShipment> it = shipments.prefixScan(hs + "|", STRINGS)) {
            while (it.hasNext()) {
                if (it.next().value.isOverdue(schedule, margin, now)) {
                    overdue++;
                }
            }
        }
        return overdue;
    }

    /**
     * Re-counts overdue shipments of every commodity and reports the commodities whose count
     * changed in a live update of their newest window — a stalled commodity produces no events,
     * so only this punctuation can tell. Also forgets shipments nobody will hear of again.
     */
    private void recountOverdue() {
        long now = watermark();
        ShipmentSchedule schedule = settings.schedule();
        long margin = settings.overdueMargin().toMillis();
        long forgetClosedBefore = now - settings.dedupRetention().toMillis();
        long forgetOpenBefore = now - settings.shipmentRetention().toMillis();
        Map<String, Long> counts = new HashMap<>();
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, OpenShipment> it = shipments.all()) {
            while (it.hasNext()) {
                KeyValue<String, OpenShipment> entry = it.next();
                OpenShipment s = entry.value;
                String hs = entry.key.substring(0, entry.key.indexOf('|'));
                if ((s.closed() && s.actualAt() < forgetClosedBefore) || s.actualAt() < forgetOpenBefore) {
                    forget.add(entry.key);
                    continue;
                }
                counts.merge(hs, s.isOverdue(schedule, margin, now) ? 1L : 0L, Long::sum);
            }
        }
        forget.forEach(shipments::delete);
        Set<String> commodities = new HashSet<>(counts.keySet());
        commodities.addAll(lastOverdue.keySet());
        for (String hs : commodities) {
            long count = counts.getOrDefault(hs, 0L);
            if (count != lastOverdue.getOrDefault(hs, 0L)) {
                lastOverdue.put(hs, count);
                dirty.add(hs);
            }
        }
    }
}
