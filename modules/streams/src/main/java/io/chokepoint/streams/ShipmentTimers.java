package io.chokepoint.streams;

import io.chokepoint.streams.shipment.ShipmentState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shipments ordered by when something next happens to them (their next milestone becomes
 * overdue, or they are forgotten): keys {@code time|hs|shipmentId}, time zero-padded so the key
 * order is the time order, and a check visits only what came due since the last one.
 *
 * <p>The index is derived from the shipment states, so it has no changelog of its own (it would
 * double the changelog writes per milestone): each shipment state records its timer, and when
 * the local index is not the one built for these states — a new instance, a wiped or migrated
 * task, a copy left from an earlier assignment — it is rebuilt from them once, at start. A
 * token written both in the index and in the (changelogged) clock store tells which is which.
 */
final class ShipmentTimers {

    static final String TOKEN_KEY = "~token";
    static final String CLOCK_TOKEN_KEY = "timer-index-token";

    /**
     * Timers are looked at when the watermark has passed one, at most once per this much event
     * time: a check is a store range query, and the watermark moves with nearly every record.
     */
    static final long CHECK_STEP_MS = 60_000;

    private final KeyValueStore<String, Long> index;
    /** No timer fires at or before this (a lower bound: exact after a rebuild, the watermark of the last check after one). */
    private long next = Long.MAX_VALUE;
    private long lastCheck = Long.MIN_VALUE;

    ShipmentTimers(KeyValueStore<String, Long> index) {
        this.index = index;
    }

    /** Rebuilds the index from the shipment states unless it was built for them; returns how many shipments were scanned. */
    long ensureBuilt(KeyValueStore<String, ShipmentState> shipments, KeyValueStore<String, Long> clock) {
        Long wanted = clock.get(CLOCK_TOKEN_KEY);
        Long built = index.get(TOKEN_KEY);
        long scanned = 0;
        if (wanted == null || !wanted.equals(built)) {
            List<String> stale = new ArrayList<>();
            try (KeyValueIterator<String, Long> it = index.all()) {
                it.forEachRemaining(kv -> stale.add(kv.key));
            }
            stale.forEach(index::delete);
            try (KeyValueIterator<String, ShipmentState> it = shipments.all()) {
                while (it.hasNext()) {
                    KeyValue<String, ShipmentState> kv = it.next();
                    scanned++;
                    if (kv.value.timerAt() != ShipmentState.NO_TIMER) {
                        index.put(key(kv.value.timerAt(), kv.key), 0L);
                    } else {
                        // a state from an earlier release: fire at once, which gives it its timer
                        index.put(key(0, kv.key), 0L);
                    }
                }
            }
            long token = ThreadLocalRandom.current().nextLong();
            index.put(TOKEN_KEY, token);
            clock.put(CLOCK_TOKEN_KEY, token);
        }
        next = firstTime();
        return scanned;
    }

    void set(String shipmentKey, long oldAt, long newAt) {
        if (oldAt == newAt) {
            return;
        }
        if (oldAt != ShipmentState.NO_TIMER) {
            index.delete(key(oldAt, shipmentKey));
        }
        if (newAt != ShipmentState.NO_TIMER) {
            index.put(key(newAt, shipmentKey), 0L);
            next = Math.min(next, newAt);
        }
    }

    /** Whether some timer may fire before {@code watermark} (a timer fires when the watermark is past it) and it is time to look. */
    boolean anyDue(long watermark) {
        return next < watermark && watermark - lastCheck >= CHECK_STEP_MS;
    }

    /** Whether some timer may fire before {@code watermark}, looked at now whatever the step (the wall-clock check). */
    boolean anyDueNow(long watermark) {
        return next < watermark;
    }

    /**
     * Timers before {@code watermark}, as (time, shipment key), oldest first, removed from the
     * index; at most {@code limit}. A range, not a full iteration: a store iterator copies the keys
     * it covers (the record cache does), so only what came due is touched.
     */
    List<Due> takeDue(long watermark, int limit) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = index.range(ZEROS, key(watermark - 1, "\uffff"))) {
            while (it.hasNext() && due.size() < limit) {
                String key = it.next().key;
                due.add(new Due(Long.parseLong(key.substring(0, key.indexOf('|'))), key.substring(key.indexOf('|') + 1)));
            }
        }
        due.forEach(d -> index.delete(key(d.at(), d.shipmentKey())));
        if (due.size() < limit) {
            // everything before the watermark is taken; later timers set before it lower the bound again
            next = watermark;
            lastCheck = watermark;
        }
        return due;
    }

    record Due(long at, String shipmentKey) {
    }

    private long firstTime() {
        try (KeyValueIterator<String, Long> it = index.all()) {
            if (it.hasNext()) {
                String key = it.next().key;
                return key.equals(TOKEN_KEY) ? Long.MAX_VALUE : Long.parseLong(key.substring(0, key.indexOf('|')));
            }
        }
        return Long.MAX_VALUE;
    }

    private static final String ZEROS = "000000000000000";

    private static String key(long at, String shipmentKey) {
        String digits = Long.toString(Math.max(0, at));
        return ZEROS.substring(Math.min(ZEROS.length(), digits.length())) + digits + '|' + shipmentKey;
    }
}
