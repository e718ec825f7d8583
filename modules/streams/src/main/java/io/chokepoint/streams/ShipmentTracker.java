package io.chokepoint.streams;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.streams.dlq.UnreadableRecord;
import io.chokepoint.streams.shipment.ShipmentSchedule;
import io.chokepoint.streams.shipment.ShipmentState;
import io.chokepoint.streams.window.DelayObservation;
import io.chokepoint.streams.window.DelayPane;
import io.chokepoint.streams.window.Windowing;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * First step of the delay aggregation: validates every fact, owns the task's time, keeps each
 * shipment's state and decides whether a delay observation counts — not late (some window of it
 * still open) and not a repeat of a (shipment, milestone) already counted, which the shipment
 * state itself answers: one read and one write per milestone. It also keeps the overdue-shipment
 * count of every commodity, moved by the shipments' timers as the watermark passes them.
 */
final class ShipmentTracker implements Processor<String, Object, String, DelayFact> {

    private static final Logger LOG = LoggerFactory.getLogger(ShipmentTracker.class);
    /** Timers handled per batch, so a long-quiet task catching up does not hold a huge list. */
    private static final int TIMER_BATCH = 10_000;

    private final StreamsSettings settings;
    private final Windowing windowing;

    private ProcessorContext<String, DelayFact> context;
    private KeyValueStore<String, ShipmentState> shipments;
    private KeyValueStore<String, Long> overdueCounts;
    private WindowStore<String, Long> seenLicences;
    private ShipmentTimers timers;
    private TaskClock clock;
    private Sensor lateDropped;
    private Sensor duplicatesSkipped;
    private final Set<String> overdueChanged = new LinkedHashSet<>();

    ShipmentTracker(StreamsSettings settings) {
        this.settings = settings;
        this.windowing = new Windowing(settings.windowSize().toMillis(), settings.windowAdvance().toMillis(), settings.grace().toMillis());
    }

    @Override
    public void init(ProcessorContext<String, DelayFact> ctx) {
        this.context = ctx;
        this.shipments = ctx.getStateStore(DelayAggregation.SHIPMENTS_STORE);
        this.overdueCounts = ctx.getStateStore(DelayAggregation.OVERDUE_STORE);
        this.seenLicences = ctx.getStateStore(DelayAggregation.SEEN_STORE);
        KeyValueStore<String, Long> clockStore = ctx.getStateStore(DelayAggregation.CLOCK_STORE);
        this.clock = new TaskClock(clockStore, ctx.currentSystemTimeMs());
        this.timers = new ShipmentTimers(ctx.getStateStore(DelayAggregation.TIMERS_STORE));
        long scanned = timers.ensureBuilt(shipments, clockStore);
        if (scanned > 0) {
            LOG.info("task {}: rebuilt the shipment timer index from {} shipment state(s)", ctx.taskId(), scanned);
        }
        overdueChanged.clear();
        String task = ctx.taskId().toString();
        this.lateDropped = ctx.metrics().addRateTotalSensor(DelayAggregation.METRICS_SCOPE, task,
                DelayAggregation.METRIC_LATE_DROPPED, Sensor.RecordingLevel.INFO);
        this.duplicatesSkipped = ctx.metrics().addRateTotalSensor(DelayAggregation.METRICS_SCOPE, task,
                DelayAggregation.METRIC_DUPLICATES, Sensor.RecordingLevel.INFO);
        ctx.schedule(settings.closeCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        if (value == null) {
            return; // tombstones carry no fact
        }
        if (value instanceof UnreadableRecord unreadable) {
            throw unreadable.rejection();
        }
        long before = clock.watermark();
        clock.onRecord(record.timestamp(), context.currentStreamTimeMs(), context.currentSystemTimeMs());
        if (clock.watermark() > before) {
            // time first: windows closing at this watermark close before this record's fact reaches any pane
            forward(null, new DelayFact.Tick(clock.watermark()), record.timestamp());
        }
        fireTimers();
        if (value instanceof ShipmentMilestone milestone) {
            onMilestone(record, milestone);
        } else if (value instanceof TariffChange change) {
            onTariffChange(record, change);
        } else if (value instanceof ExportLicenseDecision decision) {
            onLicenceDecision(record, decision);
        } else {
            throw new InvalidFactException("unexpected value type " + value.getClass().getName());
        }
        reportOverdueChanges();
    }

    private void onWallClock(long now) {
        if (clock.onWallClock(now, context.currentStreamTimeMs())) {
            fireTimers(true);
            reportOverdueChanges();
        }
        if (clock.watermark() != Long.MIN_VALUE) {
            forward(null, new DelayFact.Tick(clock.watermark()), Math.max(0, clock.watermark()));
        }
    }

    // ---- facts -------------------------------------------------------------------------------

    private void onMilestone(Record<String, Object> record, ShipmentMilestone m) {
        String hs = requireKeyedByHsCode(record.key(), m.getHsCode(), "ShipmentMilestone");
        if (m.getShipmentId() == null || m.getShipmentId().isBlank()) {
            throw new InvalidFactException("ShipmentMilestone " + m.getEventId() + ": shipmentId is blank");
        }
        long planned = m.getPlannedAt().toEpochMilli();
        long actual = m.getActualAt().toEpochMilli();
        if (planned < 0 || actual < 0) {
            throw new InvalidFactException("ShipmentMilestone " + m.getEventId() + ": plannedAt/actualAt before 1970 ("
                    + m.getPlannedAt() + ", " + m.getActualAt() + ")");
        }
        String key = hs + "|" + m.getShipmentId();
        ShipmentState known = shipments.get(key);
        ShipmentState next = known == null ? ShipmentState.first(m.getShipmentId(), m.getMilestone(), planned, actual)
                : known.advance(m.getMilestone(), planned, actual);

        DelayFact.Counted counted = null;
        Optional<DelayObservation> observation = DelayObservation.of(m);
        if (observation.isPresent()) {
            DelayObservation o = observation.get();
            long watermark = clock.watermark();
            long firstOpen = Math.max(windowing.oldestWindowStart(o.at()), windowing.firstOpenStart(watermark));
            if (firstOpen > windowing.paneStart(o.at())) {
                lateDropped.record();
                LOG.debug("dropped late delay observation {} of shipment {} at {}: every window closed (watermark {})",
                        o.milestone(), o.shipmentId(), Instant.ofEpochMilli(o.at()), Instant.ofEpochMilli(watermark));
            } else if (next.hasObserved(o.milestone())) {
                duplicatesSkipped.record();
            } else {
                long pane = Math.floorDiv(o.at(), windowing.paneMs());
                long[] neighbours = next.neighbourPanes(pane, windowing.paneMs());
                DelayPane.Coverage coverage = DelayPane.Coverage.of(pane, neighbours[0], neighbours[1], windowing.panesPerWindow());
                next = next.withObservation(o.milestone(), o.at());
                counted = new DelayFact.Counted(o, coverage, firstOpen, watermark);
            }
        }
        store(hs, key, known, next);
        if (counted != null) {
            forward(hs, counted, record.timestamp());
        }
    }

    private void onLicenceDecision(Record<String, Object> record, ExportLicenseDecision d) {
        String hs = requireKeyedByHsCode(record.key(), d.getHsCode(), "ExportLicenseDecision");
        long at = d.getDecidedAt().toEpochMilli();
        if (at < 0) {
            throw new InvalidFactException("ExportLicenseDecision " + d.getEventId() + ": decidedAt before 1970 (" + d.getDecidedAt() + ")");
        }
        if (alreadySeen("L|" + d.getEventId(), at)) {
            duplicatesSkipped.record();
            return;
        }
        forward(hs, new DelayFact.Licence(d, clock.watermark()), record.timestamp());
    }

    private void onTariffChange(Record<String, Object> record, TariffChange c) {
        String hs = requireKeyedByHsCode(record.key(), c.getHsCode(), "TariffChange");
        if (c.getNewRatePct() < 0 || c.getPreviousRatePct() < 0) {
            throw new InvalidFactException("TariffChange " + c.getEventId() + ": negative rate (" + c.getPreviousRatePct()
                    + " -> " + c.getNewRatePct() + ")");
        }
        // repeats are harmless: a route replaces a change with the same event id
        forward(hs, new DelayFact.Tariff(c, clock.watermark()), record.timestamp());
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
     * True when this licence decision was counted before. Decisions are remembered in buckets one
     * retention long; a repeat within the retention falls in the same or a neighbouring bucket, so
     * three point look-ups replace a range scan over the store's segments.
     */
    private boolean alreadySeen(String dedupKey, long at) {
        long ttl = settings.dedupRetention().toMillis();
        long bucket = Math.floorDiv(at, ttl) * ttl;
        for (long b = bucket - ttl; b <= bucket + ttl; b += ttl) {
            if (b >= 0 && seenLicences.fetch(dedupKey, b) != null) {
                return true;
            }
        }
        seenLicences.put(dedupKey, at, bucket);
        return false;
    }

    // ---- shipment state and timers -----------------------------------------------------------

    /** Plans the shipment's timer and overdue flag for the current watermark, then writes what changed. */
    private void store(String hs, String key, ShipmentState known, ShipmentState next) {
        long watermark = clock.watermark();
        ShipmentState planned = plan(next, watermark);
        long oldTimer = known == null ? ShipmentState.NO_TIMER : known.timerAt();
        boolean wasOverdue = known != null && known.overdue();
        if (planned == null) {
            timers.set(key, oldTimer, ShipmentState.NO_TIMER);
            if (known != null) {
                shipments.delete(key);
            }
            countOverdue(hs, wasOverdue, false);
            return;
        }
        timers.set(key, oldTimer, planned.timerAt());
        countOverdue(hs, wasOverdue, planned.overdue());
        if (!planned.equals(known)) {
            shipments.put(key, planned);
        }
    }

    /**
     * The shipment with its next timer: when its next milestone becomes overdue (due + margin),
     * or, once overdue or closed, when it is forgotten; null when it is to be forgotten now.
     */
    private ShipmentState plan(ShipmentState s, long watermark) {
        long forgetAt = s.actualAt() + (s.closed() ? settings.dedupRetention() : settings.shipmentRetention()).toMillis();
        if (watermark > forgetAt) {
            return null;
        }
        Optional<Long> due = s.dueAt(settings.schedule());
        if (due.isEmpty()) {
            return s.withTimer(forgetAt, false);
        }
        long overdueAt = due.get() + settings.overdueMargin().toMillis();
        return watermark > overdueAt ? s.withTimer(forgetAt, true) : s.withTimer(Math.min(overdueAt, forgetAt), false);
    }

    private void fireTimers() {
        fireTimers(false);
    }

    /** @param now look whatever the check step (the wall-clock check of a quiet task) */
    private void fireTimers(boolean now) {
        long watermark = clock.watermark();
        while (now ? timers.anyDueNow(watermark) : timers.anyDue(watermark)) {
            for (ShipmentTimers.Due due : timers.takeDue(watermark, TIMER_BATCH)) {
                ShipmentState known = shipments.get(due.shipmentKey());
                if (known == null) {
                    continue;
                }
                String hs = due.shipmentKey().substring(0, due.shipmentKey().indexOf('|'));
                // the index entry is gone: plan afresh from "no timer"
                store(hs, due.shipmentKey(), known.withTimer(ShipmentState.NO_TIMER, known.overdue()), known);
            }
        }
    }

    private void countOverdue(String hs, boolean was, boolean is) {
        if (was == is) {
            return;
        }
        Long count = overdueCounts.get(hs);
        long next = (count == null ? 0 : count) + (is ? 1 : -1);
        if (next <= 0) {
            overdueCounts.delete(hs);
        } else {
            overdueCounts.put(hs, next);
        }
        overdueChanged.add(hs);
    }

    private void reportOverdueChanges() {
        for (String hs : overdueChanged) {
            forward(hs, new DelayFact.OverdueChanged(clock.watermark()), Math.max(0, clock.watermark()));
        }
        overdueChanged.clear();
    }

    private void forward(String key, DelayFact fact, long timestamp) {
        context.forward(new Record<>(key, fact, timestamp));
    }
}
