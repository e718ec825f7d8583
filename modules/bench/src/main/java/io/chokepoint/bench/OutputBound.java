package io.chokepoint.bench;

import io.chokepoint.streams.StreamsSettings;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** What the window arithmetic requires of the output, to print next to what the topology produced. */
final class OutputBound {

    private OutputBound() {
    }

    /** Commodity-windows with at least one observation: each needs exactly one final. */
    static long windowsWithData(Workload workload, StreamsSettings settings) {
        Random random = new Random(42);
        long advance = settings.windowAdvance().toMillis();
        long size = settings.windowSize().toMillis();
        Set<String> panes = new HashSet<>();
        long spanMs = Workload.SPAN.toMillis();
        for (int i = 0; i < workload.events(); i++) {
            int commodity = (i / 2) % workload.commodities();
            long t = Workload.T0.toEpochMilli() + (long) i * spanMs / workload.events() + (long) (random.nextGaussian() * 600_000);
            random.nextGaussian();
            panes.add(commodity + ":" + Math.floorDiv(t, advance));
        }
        Set<String> windows = new HashSet<>();
        long perWindow = size / advance;
        for (String pane : panes) {
            int colon = pane.indexOf(':');
            long p = Long.parseLong(pane.substring(colon + 1));
            for (long s = p - perWindow + 1; s <= p; s++) {
                windows.add(pane.substring(0, colon) + ":" + s);
            }
        }
        // every commodity's closing record opens windows too (they close only after the run)
        return windows.size();
    }

    /** At most one live view per commodity per emit interval over the run, plus one per commodity when it starts. */
    static long liveBound(Workload workload, StreamsSettings settings, double seconds) {
        double intervals = Math.ceil(seconds / Math.max(0.001, settings.emitInterval().toMillis() / 1000.0)) + 1;
        return (long) (workload.commodities() * intervals);
    }
}
