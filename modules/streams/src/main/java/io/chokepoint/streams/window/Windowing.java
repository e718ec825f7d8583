package io.chokepoint.streams.window;

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

    /** Panes per window: size / advance (24 for the defaults). */
    public int panesPerWindow() {
        return (int) (sizeMs / advanceMs);
    }

    /** Start of the oldest window containing {@code t}. */
    public long oldestWindowStart(long t) {
        return paneStart(t) - sizeMs + advanceMs;
    }

    /** Start of the oldest window the watermark has not closed yet. */
    public long firstOpenStart(long watermark) {
        return paneStart(watermark - sizeMs - graceMs) + advanceMs;
    }

    /** Start of the trailing window: the newest one, ending at the watermark's next advance. */
    public long trailingStart(long watermark) {
        return paneStart(watermark) + advanceMs - sizeMs;
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
