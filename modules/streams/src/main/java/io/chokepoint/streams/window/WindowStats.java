package io.chokepoint.streams.window;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delay stats of one window of one commodity, kept as a sliding aggregation over panes
 * (Hazelcast Jet's accumulate / combine / deduct): moving to the next window combines the newest
 * pane in and deducts the oldest out, two pane operations per hop instead of re-merging every pane.
 * Count, sum, customs holds, route lateness and the sketch deduct exactly (integers); min and max
 * do not deduct, so they come from a ring of per-pane extremes; the distinct-shipment count is a
 * running sum of pane coverage (see {@link DelayPane.Coverage}) with a ring of pending changes
 * for the next windows.
 */
public final class WindowStats {

    private final Windowing windowing;
    private final int panes;
    private long start;
    private long count;
    private long sumMs;
    private long customsHolds;
    private final DelaySketch sketch = new DelaySketch();
    private final Map<String, Long> routeLatenessMs = new HashMap<>();
    private final long[] paneMin;
    private final long[] paneMax;
    /** Distinct shipments of this window. */
    private long distinct;
    /** Changes of the distinct count at the next window starts, by pane index modulo panes + 1. */
    private final long[] distinctChange;

    /** Empty stats of the window starting at {@code start}; add its panes next. */
    public WindowStats(Windowing windowing, long start) {
        this.windowing = windowing;
        this.panes = windowing.panesPerWindow();
        this.start = start;
        this.paneMin = new long[panes];
        this.paneMax = new long[panes];
        Arrays.fill(paneMin, Long.MAX_VALUE);
        Arrays.fill(paneMax, Long.MIN_VALUE);
        this.distinctChange = new long[panes + 1];
    }

    public long start() {
        return start;
    }

    public long end() {
        return windowing.endOf(start);
    }

    /** Whether {@code paneStart} lies in this window. */
    public boolean covers(long paneStart) {
        return paneStart >= start && paneStart < end();
    }

    /** Combines a pane of this window in. */
    public void add(long paneStart, DelayPane pane) {
        count += pane.count;
        sumMs += pane.sumMs;
        customsHolds += pane.customsHolds;
        sketch.merge(pane.sketch);
        pane.routeLatenessMs.forEach((route, ms) -> routeLatenessMs.merge(route, ms, Long::sum));
        int slot = slot(paneStart, panes);
        paneMin[slot] = Math.min(paneMin[slot], pane.minMs);
        paneMax[slot] = Math.max(paneMax[slot], pane.maxMs);
        for (int lag = 0; lag < pane.coverFrom.length && lag < panes; lag++) {
            changeDistinctAt(paneStart - lag * windowing.advanceMs(), pane.coverFrom[lag]);
            changeDistinctAt(paneStart - (lag - 1) * windowing.advanceMs(), -pane.coverUntil[lag]);
        }
    }

    /** Adds one observation of pane {@code paneStart} (in this window) that arrived after the pane was combined in. */
    public void add(long paneStart, DelayObservation observation, DelayPane.Coverage coverage) {
        long ms = observation.delayMs();
        count++;
        sumMs += ms;
        if (observation.isCustomsHold()) {
            customsHolds++;
        }
        sketch.add(observation.delayHours());
        routeLatenessMs.merge(observation.route(), Math.max(0L, ms), Long::sum);
        int slot = slot(paneStart, panes);
        paneMin[slot] = Math.min(paneMin[slot], ms);
        paneMax[slot] = Math.max(paneMax[slot], ms);
        if (!coverage.isEmpty()) {
            changeDistinctAt(paneStart - coverage.toLag() * windowing.advanceMs(), 1);
            changeDistinctAt(paneStart - (coverage.fromLag() - 1) * windowing.advanceMs(), -1);
        }
    }

    /**
     * Moves to the next window: deducts {@code oldest} (the pane at this window's start, null if
     * it had no observation) and combines {@code newest} (the pane just after this window's end, or null).
     */
    public void slide(DelayPane oldest, DelayPane newest) {
        if (oldest != null) {
            count -= oldest.count;
            sumMs -= oldest.sumMs;
            customsHolds -= oldest.customsHolds;
            sketch.subtract(oldest.sketch);
            oldest.routeLatenessMs.forEach((route, ms) -> {
                long left = routeLatenessMs.merge(route, -ms, Long::sum);
                if (left == 0) {
                    routeLatenessMs.remove(route);
                }
            });
        }
        int slot = slot(start, panes);
        paneMin[slot] = Long.MAX_VALUE;
        paneMax[slot] = Long.MIN_VALUE;
        start += windowing.advanceMs();
        int next = slot(start, panes + 1);
        distinct += distinctChange[next];
        distinctChange[next] = 0;
        if (newest != null) {
            add(end() - windowing.advanceMs(), newest);
        }
    }

    /** A change of the distinct count from window start {@code at} on: folded in now for this window, kept for a later one. */
    private void changeDistinctAt(long at, long change) {
        if (change == 0) {
            return;
        }
        if (at <= start) {
            distinct += change;
        } else if (at < end() + windowing.advanceMs()) {
            distinctChange[slot(at, panes + 1)] += change;
        }
    }

    private int slot(long paneStart, int size) {
        return (int) Math.floorMod(Math.floorDiv(paneStart, windowing.advanceMs()), (long) size);
    }

    public long count() {
        return count;
    }

    /** Start of the newest pane of this window holding an observation, or {@code Long.MIN_VALUE} when none does. */
    public long newestObservedPane() {
        for (long pane = end() - windowing.advanceMs(); pane >= start; pane -= windowing.advanceMs()) {
            if (paneMax[slot(pane, panes)] != Long.MIN_VALUE) {
                return pane;
            }
        }
        return Long.MIN_VALUE;
    }

    public double meanHours() {
        return count == 0 ? 0.0 : sumMs / (double) count / DelayObservation.MILLIS_PER_HOUR;
    }

    public double minHours() {
        long min = Long.MAX_VALUE;
        for (long m : paneMin) {
            min = Math.min(min, m);
        }
        return count == 0 ? 0.0 : min / DelayObservation.MILLIS_PER_HOUR;
    }

    public double maxHours() {
        long max = Long.MIN_VALUE;
        for (long m : paneMax) {
            max = Math.max(max, m);
        }
        return count == 0 ? 0.0 : max / DelayObservation.MILLIS_PER_HOUR;
    }

    public long customsHolds() {
        return customsHolds;
    }

    public long distinctShipments() {
        return count == 0 ? 0 : distinct;
    }

    /** Delays at quantiles {@code qs}, each within 1 % of the true value; zeros when empty. */
    public double[] quantilesHours(double... qs) {
        return sketch.quantiles(qs);
    }

    /**
     * The {@code limit} routes with the most lateness (positive only), most first, ties by name: a
     * selection over the window's routes, not a sort of them (it runs for every stats record).
     */
    public List<String> latestRoutes(int limit) {
        if (limit <= 0 || routeLatenessMs.isEmpty()) {
            return List.of();
        }
        String[] routes = new String[limit];
        long[] lateness = new long[limit];
        int size = 0;
        for (Map.Entry<String, Long> e : routeLatenessMs.entrySet()) {
            long ms = e.getValue();
            if (ms <= 0) {
                continue;
            }
            String route = e.getKey();
            int at = size;
            while (at > 0 && (lateness[at - 1] < ms || (lateness[at - 1] == ms && routes[at - 1].compareTo(route) > 0))) {
                at--;
            }
            if (at >= limit) {
                continue;
            }
            int last = Math.min(size, limit - 1);
            System.arraycopy(routes, at, routes, at + 1, last - at);
            System.arraycopy(lateness, at, lateness, at + 1, last - at);
            routes[at] = route;
            lateness[at] = ms;
            size = Math.min(size + 1, limit);
        }
        return List.of(Arrays.copyOf(routes, size));
    }
}
