package io.chokepoint.streams.window;

import java.util.ArrayList;
import java.util.List;

/**
 * Epoch-aligned hopping windows, as Kafka's {@code TimeWindows}: starts at multiples of the
 * advance, {@code [start, start + size)}. A window is closed once the watermark reaches
 * {@code end + grace}; observations for it are then late and dropped.
 */
public record Windowing(long sizeMs, long advanceMs, long graceMs) {

    /** Pane length: the advance divides the size (checked by the settings), so panes are advance-long. */
    public long paneMs() {
        return advanceMs;
    }

    public long paneStart(long t) {
        return Math.floorDiv(t, advanceMs) * advanceMs;
    }

    /** Starts of every window containing {@code t}, oldest first. */
    public List<Long> windowStartsFor(long t) {
        long latest = paneStart(t);
        List<Long> starts = new ArrayList<>((int) (sizeMs / advanceMs));
        for (long s = latest - sizeMs + advanceMs; s <= latest; s += advanceMs) {
            if (s > t - sizeMs) {
                starts.add(s);
            }
        }
        return starts;
    }

    /** Start of the newest window containing {@code t}. */
    public long newestWindowStart(long t) {
        return paneStart(t);
    }

    public long endOf(long windowStart) {
        return windowStart + sizeMs;
    }

    public long closeAt(long windowStart) {
        return windowStart + sizeMs + graceMs;
    }

    public boolean isClosed(long windowStart, long watermark) {
        return watermark >= closeAt(windowStart);
    }
}
