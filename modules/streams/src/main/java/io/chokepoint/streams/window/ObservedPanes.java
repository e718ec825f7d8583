package io.chokepoint.streams.window;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

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

    private final Map<String, TreeSet<Long>> byCommodity = new HashMap<>();
    private long newest = Long.MIN_VALUE;

    public void add(String hs, long paneStart) {
        byCommodity.computeIfAbsent(hs, k -> new TreeSet<>()).add(paneStart);
        newest = Math.max(newest, paneStart);
    }

    public boolean has(String hs, long paneStart) {
        TreeSet<Long> panes = byCommodity.get(hs);
        return panes != null && panes.contains(paneStart);
    }

    /** Whether any pane starting in {@code [from, to]} holds observations. */
    public boolean anyIn(String hs, long from, long to) {
        TreeSet<Long> panes = byCommodity.get(hs);
        if (panes == null) {
            return false;
        }
        Long first = panes.ceiling(from);
        return first != null && first <= to;
    }

    /** The newest pane any commodity observed. */
    public long newest() {
        return newest;
    }

    /** Forgets the panes starting before {@code cutoff}, of every commodity. */
    public void forgetOlderThan(long cutoff) {
        for (Iterator<TreeSet<Long>> it = byCommodity.values().iterator(); it.hasNext(); ) {
            TreeSet<Long> panes = it.next();
            panes.headSet(cutoff).clear();
            if (panes.isEmpty()) {
                it.remove();
            }
        }
    }

    public void clear() {
        byCommodity.clear();
        newest = Long.MIN_VALUE;
    }
}
