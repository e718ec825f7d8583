package io.chokepoint.producers.importer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Import progress on stderr: on a terminal a bar redrawn in place with rate and ETA (when the
 * input size is known); otherwise a plain line every few seconds, which logs and CI keep readably.
 */
final class Progress {

    private static final long TERMINAL_INTERVAL_NS = 200_000_000L;
    private static final long PLAIN_INTERVAL_NS = 5_000_000_000L;
    private static final int BAR = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String file;
    private final long totalBytes;
    private final long started = System.nanoTime();
    private long lastShown = started;
    private boolean drewBar;

    /** @param totalBytes input size, or -1 when unknown (standard input) */
    Progress(PrintStream out, boolean terminal, String file, long totalBytes) {
        this.out = out;
        this.terminal = terminal;
        this.file = file;
        this.totalBytes = totalBytes;
    }

    static Progress none() {
        return new Progress(null, false, "", -1);
    }

    void update(long rows, long bytes) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastShown < (terminal ? TERMINAL_INTERVAL_NS : PLAIN_INTERVAL_NS)) {
            return;
        }
        lastShown = now;
        double seconds = (now - started) / 1e9;
        double rate = rows / Math.max(seconds, 1e-9);
        if (terminal) {
            out.print("\r" + bar(rows, bytes, seconds, rate));
            out.flush();
            drewBar = true;
        } else {
            out.println(String.format(Locale.ROOT, "%s: %s read, %s%s", file, RowCount.rows(rows), RowCount.perSecond(rate), percent(bytes)));
        }
    }

    private String bar(long rows, long bytes, double seconds, double rate) {
        if (totalBytes <= 0) {
            return String.format(Locale.ROOT, "%s %s  %s", file, RowCount.rows(rows), RowCount.perSecond(rate));
        }
        double fraction = Math.min(1.0, (double) bytes / totalBytes);
        int filled = (int) Math.round(fraction * BAR);
        double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%  %s  %s  ETA %s   ",
                "#".repeat(filled), ".".repeat(BAR - filled), fraction * 100, RowCount.rows(rows), RowCount.perSecond(rate), eta(eta));
    }

    private String percent(long bytes) {
        return totalBytes > 0 ? String.format(Locale.ROOT, " (%.0f %%)", Math.min(100.0, 100.0 * bytes / totalBytes)) : "";
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    /** Ends the in-place bar so the summary starts on its own line. */
    void finish() {
        if (drewBar) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
