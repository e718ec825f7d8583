package io.chokepoint.streams.window;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which panes of each commodity hold observations, so that sliding a window reads the pane store
 * only for panes that exist: most panes of most commodities are empty (at 5,600 commodities a
 * commodity sees about one observation in three hours), and a read that finds nothing still cost a
 * record-cache lookup and a RocksDB get, an eighth of the stream thread.
 *
 * <p>It must know every pane the store holds: it is told of each counted observation and, when a
 * task starts, of every pane in the store. It forgets a pane only well after the store's own
 * retention has dropped it ({@link #forgetOlderThan}).
 */
public final class ObservedPanes {

    /** Per commodity, its pane starts in ascending order: a few dozen at most, searched without boxing. */
    private final Map<String, Panes> byCommodity = new HashMap<>();
    private long newest = Long.MIN_VALUE;

    public void add(String hs, long paneStart) {
        byCommodity.computeIfAbsent(hs, k -> new Panes()).add(paneStart);
        newest = Math.max(newest, paneStart);
    }

    public boolean has(String hs, long paneStart) {
        Panes panes = byCommodity.get(hs);
        return panes != null && panes.indexOf(paneStart) >= 0;
    }

    /** Whether any pane starting in {@code [from, to]} holds observations. */
    public boolean anyIn(String hs, long from, long to) {
        Panes panes = byCommodity.get(hs);
        if (panes == null) {
            return false;
        }
        int at = panes.indexOf(from);
        int first = at >= 0 ? at : -at - 1;
        return first < panes.size && panes.starts[first] <= to;
    }

    /** The newest pane any commodity observed. */
    public long newest() {
        return newest;
    }

    /** Forgets the panes starting before {@code cutoff}, of every commodity. */
    public void forgetOlderThan(long cutoff) {
        for (Iterator<Panes> it = byCommodity.values().iterator(); it.hasNext(); ) {
            Panes panes = it.next();
            panes.dropBefore(cutoff);
            if (panes.size == 0) {
                it.remove();
            }
        }
    }

    public void clear() {
        byCommodity.clear();
        newest = Long.MIN_VALUE;
    }

    private static final class Panes {
        private long[] starts = new long[4];
        private int size;

        /** As {@link Arrays#binarySearch}: the index, or {@code -(insertion point) - 1}. */
        int indexOf(long paneStart) {
            return Arrays.binarySearch(starts, 0, size, paneStart);
        }

        void add(long paneStart) {
            int at = indexOf(paneStart);
            if (at >= 0) {
                return;
            }
            at = -at - 1;
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
            }
            System.arraycopy(starts, at, starts, at + 1, size - at);
            starts[at] = paneStart;
            size++;
        }

        void dropBefore(long cutoff) {
            int at = indexOf(cutoff);
            int keepFrom = at >= 0 ? at : -at - 1;
            System.arraycopy(starts, keepFrom, starts, 0, size - keepFrom);
            size -= keepFrom;
        }
    }
}
