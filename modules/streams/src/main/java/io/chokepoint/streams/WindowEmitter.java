package io.chokepoint.streams;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.streams.policy.LicenceContext;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffContext;
import io.chokepoint.streams.policy.TariffRoute;
import io.chokepoint.streams.window.DelayPane;
import io.chokepoint.streams.window.ObservedPanes;
import io.chokepoint.streams.window.WindowStats;
import io.chokepoint.streams.window.Windowing;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Last step: the combine step. Per commodity two sliding {@link WindowStats} — one at the
 * oldest window still owing its final, one at the trailing window of the live view — follow the
 * watermark by adding the newest pane and deducting the oldest, and take each counted observation
 * of a pane they already hold. Writes exactly one final per window with data, once the watermark
 * reaches its end + grace, to {@code commodity-delay-stats}, and at most one live view per changed
 * commodity per emit interval to {@code commodity-delay-current}.
 */
final class WindowEmitter implements Processor<String, DelayFact, String, CommodityDelayStats> {

    private static final StringSerializer STRINGS = new StringSerializer();
    /** Key in the task's clock store of the start of the oldest window whose final is not written yet. */
    static final String FIRST_UNCLOSED_KEY = "finals-first-unclosed";
    /** Key in the task's clock store of the start of the newest window with a final: where the window history's retention counts from. */
    static final String NEWEST_FINAL_KEY = "finals-newest-window";

    private final StreamsSettings settings;
    private final Windowing windowing;
    private final StatsAssembler assembler;
    /** Refills the finals' store at start; null offline (a replay is never restored). */
    private final WindowHistory history;

    private ProcessorContext<String, CommodityDelayStats> context;
    private WindowStore<String, DelayPane> panes;
    private WindowStore<String, LicenceTally> licences;
    private KeyValueStore<String, TariffRoute> tariffs;
    private KeyValueStore<String, Long> overdueCounts;
    private KeyValueStore<String, Long> clock;
    private WindowStore<String, CommodityDelayStats> finals;
    private KeyValueStore<String, CommodityDelayStats> current;

    private long watermark = Long.MIN_VALUE;
    /** Start of the oldest window the finals have not closed yet, persisted with them. */
    private long firstUnclosed = Long.MIN_VALUE;
    /** Start of the newest window whose final was written, persisted once per window advance. */
    private long newestFinal = Long.MIN_VALUE;
    private long persistedNewestFinal = Long.MIN_VALUE;
    /**
     * Per commodity, the first and last window start still owing a final record. Not stored: after a
     * restart it is derived from the panes and {@link #firstUnclosed}.
     */
    private final Map<String, long[]> pending = new HashMap<>();
    private long earliestPendingClose = Long.MAX_VALUE;
    private final Map<String, WindowStats> finalWindows = new HashMap<>();
    private final Map<String, WindowStats> liveWindows = new HashMap<>();
    private final Map<String, List<TariffRoute>> routes = new HashMap<>();
    /**
     * Per commodity, the start of the newest pane holding a licence approval, so that a window's
     * licence context reads only the window's panes: finding the latest approval before a stall by
     * walking back through the store's retention (168 panes) was a fifth of a backtest. Rebuilt
     * from the licence store at init.
     */
    private final Map<String, Long> newestApprovalPane = new HashMap<>();
    /**
     * Per commodity, the start of the newest pane holding any licence decision: a window that starts
     * after it has no decisions to read, and most commodities have none at all, so their windows
     * skip the store (a range read through the record cache and RocksDB was 6 % of the stream
     * thread at 5,600 commodities). Rebuilt from the licence store at init; a pane that expired
     * from the store only costs a read that finds nothing.
     */
    private final Map<String, Long> newestLicencePane = new HashMap<>();
    /** The panes holding observations: windows slide without reading empty ones. */
    private final ObservedPanes observed = new ObservedPanes();
    /** The pane below which {@link #observed} was last pruned. */
    private long observedPrunedAt = Long.MIN_VALUE;
    /** Commodities whose live view changed since the last emission. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Pane of the watermark at the last live emission: the trailing window slides when it moves. */
    private long livePane = Long.MIN_VALUE;

    WindowEmitter(StreamsSettings settings, WindowHistory history) {
        this.settings = settings;
        this.history = history;
        this.windowing = new Windowing(settings.windowSize().toMillis(), settings.windowAdvance().toMillis(), settings.grace().toMillis());
        this.assembler = new StatsAssembler(settings.topRoutes());
    }

    @Override
    public void init(ProcessorContext<String, CommodityDelayStats> ctx) {
        this.context = ctx;
        this.panes = ctx.getStateStore(DelayAggregation.PANES_STORE);
        this.licences = ctx.getStateStore(DelayAggregation.LICENCES_STORE);
        this.tariffs = ctx.getStateStore(DelayAggregation.TARIFFS_STORE);
        this.overdueCounts = ctx.getStateStore(DelayAggregation.OVERDUE_STORE);
        this.clock = ctx.getStateStore(DelayAggregation.CLOCK_STORE);
        this.finals = ctx.getStateStore(DelayAggregation.STATS_STORE);
        this.current = ctx.getStateStore(DelayAggregation.CURRENT_STORE);
        // a revived task (its transaction aborted, its stores restored) starts over from what was committed
        watermark = Long.MIN_VALUE;
        livePane = Long.MIN_VALUE;
        pending.clear();
        finalWindows.clear();
        liveWindows.clear();
        routes.clear();
        dirty.clear();
        newestApprovalPane.clear();
        newestLicencePane.clear();
        observed.clear();
        observedPrunedAt = Long.MIN_VALUE;
        try (KeyValueIterator<Windowed<String>, LicenceTally> all = licences.all()) {
            all.forEachRemaining(pane -> {
                newestLicencePane.merge(pane.key.key(), pane.key.window().start(), Math::max);
                if (pane.value.approved() > 0) {
                    newestApprovalPane.merge(pane.key.key(), pane.key.window().start(), Math::max);
                }
            });
        }
        Long persisted = clock.get(FIRST_UNCLOSED_KEY);
        this.firstUnclosed = persisted == null ? Long.MIN_VALUE : persisted;
        Long newestWritten = clock.get(NEWEST_FINAL_KEY);
        // a task of an earlier release kept only the first unclosed window: the newest final is at most one advance older
        this.newestFinal = newestWritten != null ? newestWritten
                : firstUnclosed == Long.MIN_VALUE ? Long.MIN_VALUE : firstUnclosed - windowing.advanceMs();
        this.persistedNewestFinal = newestWritten == null ? Long.MIN_VALUE : newestWritten;
        if (history != null && newestFinal != Long.MIN_VALUE) {
            // what the store kept: windows within its retention of the newest one put
            history.refill(ctx.appConfigs(), ctx.taskId(), finals, newestFinal - settings.storeRetention().toMillis() + 1);
        }
        restorePendingFinals();
        this.earliestPendingClose = firstPendingClose();
        if (!settings.emitInterval().isZero()) {
            ctx.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flushLiveViews());
        }
    }

    @Override
    public void process(Record<String, DelayFact> record) {
        DelayFact fact = record.value();
        if (fact instanceof DelayFact.Counted counted) {
            // the accumulator has put it in its pane already: a window sliding onto the pane reads it from the store
            observed.add(record.key(), windowing.paneStart(counted.observation().at()));
        }
        if (fact.watermark() > watermark) {
            watermark = fact.watermark();
            closeDueWindows();
        }
        String hs = record.key();
        if (fact instanceof DelayFact.Counted counted) {
            long paneStart = windowing.paneStart(counted.observation().at());
            awaitFinal(hs, counted.firstOpenStart(), paneStart);
            // a window already holding this pane takes the observation; the others read it with the pane later
            addTo(finalWindows.get(hs), paneStart, counted);
            addTo(liveWindows.get(hs), paneStart, counted);
            dirty.add(hs);
        } else if (fact instanceof DelayFact.Tariff) {
            routes.remove(hs);
            dirty.add(hs);
        } else if (fact instanceof DelayFact.Licence licence) {
            long paneStart = windowing.paneStart(licence.decision().getDecidedAt().toEpochMilli());
            newestLicencePane.merge(hs, paneStart, Math::max);
            if (licence.decision().getDecision() == LicenceDecision.APPROVED) {
                newestApprovalPane.merge(hs, paneStart, Math::max);
            }
            dirty.add(hs);
        } else if (fact instanceof DelayFact.OverdueChanged) {
            dirty.add(hs);
        }
        if (settings.emitInterval().isZero()) {
            flushLiveViews();
        }
    }

    private static void addTo(WindowStats window, long paneStart, DelayFact.Counted counted) {
        if (window != null && window.covers(paneStart)) {
            window.add(paneStart, counted.observation(), counted.coverage());
        }
    }

    // ---- finals ------------------------------------------------------------------------------

    /**
     * Rebuilds which windows still owe their final: every window holding a pane with data, except
     * those older than {@link #firstUnclosed} (their finals were written, in the same transaction).
     * Panes are kept until every window holding them closed.
     */
    private void restorePendingFinals() {
        try (KeyValueIterator<Windowed<String>, DelayPane> it = panes.all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, DelayPane> pane = it.next();
                long paneStart = pane.key.window().start();
                observed.add(pane.key.key(), paneStart);
                long first = Math.max(windowing.oldestWindowStart(paneStart), firstUnclosed);
                if (first <= paneStart) {
                    awaitFinal(pane.key.key(), first, paneStart);
                }
            }
        }
    }

    /** Remembers that windows {@code first..last} of a commodity owe their final (only the range is kept). */
    private void awaitFinal(String hs, long first, long last) {
        long[] range = pending.get(hs);
        if (range == null) {
            range = new long[]{first, last};
            pending.put(hs, range);
        } else if (first >= range[0] && last <= range[1]) {
            return;
        } else {
            range[0] = Math.min(range[0], first);
            range[1] = Math.max(range[1], last);
        }
        earliestPendingClose = Math.min(earliestPendingClose, windowing.closeAt(range[0]));
    }

    private long firstPendingClose() {
        long earliest = Long.MAX_VALUE;
        for (long[] range : pending.values()) {
            earliest = Math.min(earliest, windowing.closeAt(range[0]));
        }
        return earliest;
    }

    /** Emits the one final record of every window whose end + grace the watermark has reached, oldest first. */
    private void closeDueWindows() {
        long firstOpen = windowing.firstOpenStart(watermark);
        if (firstOpen != firstUnclosed) {
            // once per window advance, not per record: all a restart needs to know which windows were closed
            firstUnclosed = firstOpen;
            clock.put(FIRST_UNCLOSED_KEY, firstOpen);
            forgetExpiredPanes();
        }
        if (watermark < earliestPendingClose) {
            return;
        }
        long lastClosable = firstOpen - windowing.advanceMs();
        for (String hs : new TreeMap<>(pending).keySet()) {
            long[] range = pending.get(hs);
            if (range[0] > lastClosable) {
                continue;
            }
            long until = Math.min(range[1], lastClosable);
            for (long start = range[0]; start <= until; start += windowing.advanceMs()) {
                emitFinal(hs, moveTo(finalWindows, hs, start));
            }
            range[0] = until + windowing.advanceMs();
            if (range[0] > range[1]) {
                pending.remove(hs);
                finalWindows.remove(hs);
                dirty.add(hs); // its live view empties
            }
        }
        earliestPendingClose = firstPendingClose();
        if (newestFinal != persistedNewestFinal) {
            persistedNewestFinal = newestFinal;
            clock.put(NEWEST_FINAL_KEY, newestFinal);
        }
    }

    private void emitFinal(String hs, WindowStats window) {
        if (window.count() == 0) {
            return; // only policy context: no stats window to report
        }
        CommodityDelayStats record = assemble(hs, window, true);
        finals.put(hs, record, window.start());
        newestFinal = Math.max(newestFinal, window.start());
        context.forward(new Record<>(hs, record, window.end() - 1), DelayAggregation.SINK);
    }

    // ---- live views --------------------------------------------------------------------------

    /**
     * Emits the live view of every changed commodity: the stats of its trailing window. When the
     * watermark enters a new pane the trailing window slides, so every commodity with open windows has changed.
     */
    private void flushLiveViews() {
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
        long start = windowing.trailingStart(watermark);
        for (String hs : dirty) {
            WindowStats window = moveTo(liveWindows, hs, start);
            CommodityDelayStats record = assemble(hs, window, false);
            if (!hasEvidence(record)) {
                CommodityDelayStats previous = current.get(hs);
                if (previous == null || !hasEvidence(previous)) {
                    liveWindows.remove(hs);
                    continue; // nothing observed: no live view to report or to clear
                }
            }
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
     * the decisions slide out of the trailing window as the watermark advances (once per pane).
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

    // ---- windows -----------------------------------------------------------------------------

    /**
     * Prunes {@link #observed} to twice the pane store's retention behind the newest pane: no window
     * reads a pane the store has dropped, so a pane forgotten that late is one no window needs.
     */
    private void forgetExpiredPanes() {
        long cutoff = observed.newest() - 2 * settings.paneRetention().toMillis();
        if (observed.newest() != Long.MIN_VALUE && (observedPrunedAt == Long.MIN_VALUE || cutoff - observedPrunedAt >= windowing.sizeMs())) {
            observed.forgetOlderThan(cutoff); // once per window size: each pass visits every commodity
            observedPrunedAt = cutoff;
        }
    }

    /** The commodity's window starting at {@code start}: slid forward from where it was, or built from its panes when far off. */
    private WindowStats moveTo(Map<String, WindowStats> windows, String hs, long start) {
        WindowStats window = windows.get(hs);
        if (window == null || start < window.start() || start - window.start() >= windowing.sizeMs()) {
            window = new WindowStats(windowing, start);
            long last = start + windowing.sizeMs() - 1;
            if (observed.anyIn(hs, start, last)) {
                try (WindowStoreIterator<DelayPane> it = panes.fetch(hs, start, last)) {
                    while (it.hasNext()) {
                        KeyValue<Long, DelayPane> pane = it.next();
                        window.add(pane.key, pane.value);
                    }
                }
            }
            windows.put(hs, window);
            return window;
        }
        while (window.start() < start) {
            window.slide(paneOf(hs, window.start()), paneOf(hs, window.end()));
        }
        return window;
    }

    private DelayPane paneOf(String hs, long paneStart) {
        return observed.has(hs, paneStart) ? panes.fetch(hs, paneStart) : null;
    }

    private CommodityDelayStats assemble(String hs, WindowStats window, boolean isFinal) {
        LicenceContext licence;
        // the latest approval before a stall counts back as far as the store's retention
        long lookBack = Math.max(0, window.end() - settings.storeRetention().toMillis());
        Long approvalPane = newestApprovalPane.get(hs);
        if (approvalPane != null && approvalPane >= window.end()) {
            // a window older than the newest approval (a final): walk back from its end
            try (WindowStoreIterator<LicenceTally> it = licences.backwardFetch(hs, lookBack, window.end() - 1)) {
                licence = LicenceContext.of(it, window.start(), window.end(), windowing.advanceMs());
            }
        } else {
            Long lastApprovalAt = approvalPane == null || approvalPane < lookBack ? null
                    : Math.min(approvalPane + windowing.advanceMs(), window.end());
            Long newestDecision = newestLicencePane.get(hs);
            if (newestDecision == null || newestDecision < window.start()) {
                licence = LicenceContext.of(Collections.emptyIterator(), window.start(), window.end(), windowing.advanceMs())
                        .withLastApprovalAt(lastApprovalAt);
            } else {
                try (WindowStoreIterator<LicenceTally> it = licences.backwardFetch(hs, window.start(), window.end() - 1)) {
                    licence = LicenceContext.of(it, window.start(), window.end(), windowing.advanceMs()).withLastApprovalAt(lastApprovalAt);
                }
            }
        }
        TariffContext tariff = TariffContext.of(routesOf(hs), Math.min(window.end() - 1, watermark));
        Long overdue = overdueCounts.get(hs);
        long overdueShipments = overdue == null ? 0 : overdue;
        return assembler.assemble(hs, window, isFinal, licence, tariff, overdueShipments,
                lastEventAt(window, licence, tariff, overdueShipments), isFinal ? null : watermark);
    }

    /**
     * The commodity's own evidence time: its newest fact in the window, or the watermark while it
     * has overdue shipments. Observations and licence decisions are kept per pane, so their time is
     * the end of the newest non-empty pane (capped at the watermark): never earlier than the fact,
     * so quiet handling never closes an episode early.
     */
    private Long lastEventAt(WindowStats window, LicenceContext licence, TariffContext tariff, long overdueShipments) {
        long newestPane = window.newestObservedPane();
        if (licence.lastDecisionPane() != null) {
            newestPane = Math.max(newestPane, licence.lastDecisionPane());
        }
        long newest = Long.MIN_VALUE;
        if (newestPane != Long.MIN_VALUE) {
            newest = Math.min(newestPane + windowing.advanceMs() - 1, Math.max(watermark, window.start()));
        }
        if (tariff.lastChangeAt() != null) {
            newest = Math.max(newest, tariff.lastChangeAt());
        }
        if (overdueShipments > 0) {
            newest = Math.max(newest, watermark); // stuck shipments are counted as of the watermark
        }
        return newest == Long.MIN_VALUE ? null : newest;
    }

    private List<TariffRoute> routesOf(String hs) {
        return routes.computeIfAbsent(hs, k -> {
            List<TariffRoute> list = new ArrayList<>();
            try (KeyValueIterator<String, TariffRoute> it = tariffs.prefixScan(hs + "|", STRINGS)) {
                it.forEachRemaining(kv -> list.add(kv.value));
            }
            return list;
        });
    }
}
