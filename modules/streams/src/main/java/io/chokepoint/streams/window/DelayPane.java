package io.chokepoint.streams.window;

import java.util.HashMap;
import java.util.Map;

/**
 * Delay observations of one commodity in one pane (one window advance long): the accumulate step
 * of the sliding aggregation. Each counted observation updates exactly one pane, and a pane's
 * size is bounded whatever the number of observations: exact count, sum, min and max of the delay
 * in milliseconds, a bounded {@link DelaySketch}, lateness per route, and for the exact
 * distinct-shipment count the window starts each observation newly covers (see {@link Coverage}).
 */
public final class DelayPane {

    long count;
    long sumMs;
    long minMs = Long.MAX_VALUE;
    long maxMs = Long.MIN_VALUE;
    long customsHolds;
    final DelaySketch sketch;
    final Map<String, Long> routeLatenessMs;
    /** Per lag L (0..panesPerWindow-1): shipments whose newly covered window starts begin at this pane − L. */
    final int[] coverFrom;
    /** Per lag L: shipments whose newly covered window starts end just before this pane − L + 1. */
    final int[] coverUntil;

    public DelayPane(int panesPerWindow) {
        this(new DelaySketch(), new HashMap<>(), new int[panesPerWindow], new int[panesPerWindow]);
    }

    DelayPane(DelaySketch sketch, Map<String, Long> routeLatenessMs, int[] coverFrom, int[] coverUntil) {
        this.sketch = sketch;
        this.routeLatenessMs = routeLatenessMs;
        this.coverFrom = coverFrom;
        this.coverUntil = coverUntil;
    }

    /** Adds an observation that newly covers {@code coverage} (relative to this pane). */
    public void add(DelayObservation observation, Coverage coverage) {
        long ms = observation.delayMs();
        count++;
        sumMs += ms;
        minMs = Math.min(minMs, ms);
        maxMs = Math.max(maxMs, ms);
        if (observation.isCustomsHold()) {
            customsHolds++;
        }
        sketch.add(observation.delayHours());
        // only lateness counts towards a route's share of the delay; early arrivals do not offset it
        routeLatenessMs.merge(observation.route(), Math.max(0L, ms), Long::sum);
        if (!coverage.isEmpty()) {
            coverFrom[coverage.toLag()]++;
            coverUntil[coverage.fromLag()]++;
        }
    }

    public long count() {
        return count;
    }

    public int panesPerWindow() {
        return coverFrom.length;
    }

    /**
     * The window starts in which an observation makes its shipment count for the first time, as
     * lags back from the observation's pane: {@code [fromLag, toLag]} means window starts
     * {@code pane − toLag … pane − fromLag}. Its shipment's other counted observations already
     * cover the rest of the windows containing it, so summing coverage gives exact distinct counts.
     */
    public record Coverage(int fromLag, int toLag) {
        public static final Coverage NONE = new Coverage(0, -1);

        public boolean isEmpty() {
            return toLag < fromLag;
        }

        /**
         * Coverage of an observation in pane {@code pane} (a pane index) of a shipment whose nearest
         * counted observations lie in panes {@code before} (≤ pane) and {@code after} (≥ pane).
         */
        public static Coverage of(long pane, long before, long after, int panesPerWindow) {
            long to = before == Long.MIN_VALUE ? panesPerWindow - 1 : Math.min(panesPerWindow - 1, pane - before - 1);
            long from = after == Long.MAX_VALUE ? 0 : Math.max(0, pane - after + panesPerWindow);
            return to < from ? NONE : new Coverage((int) from, (int) to);
        }
    }
}
