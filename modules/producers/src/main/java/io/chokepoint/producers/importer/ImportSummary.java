package io.chokepoint.producers.importer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** What an import did: rows read, published and rejected, and where the rejects are. */
public record ImportSummary(String file, ImportKind kind, long read, long valid, long published, long rejected,
                            boolean dryRun, boolean atomicAborted, Path rejectFile, Duration took) {

    public boolean clean() {
        return rejected == 0;
    }

    public double rowsPerSecond() {
        return read / Math.max(took.toNanos() / 1e9, 1e-9);
    }

    /** The one summary line printed after every import. */
    public String line() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s (%s): read %,d, ", file, kind.word(), read));
        if (dryRun) {
            s.append(String.format(Locale.ROOT, "valid %,d, published 0 (dry run), ", valid));
        } else {
            s.append(String.format(Locale.ROOT, "published %,d, ", published));
        }
        s.append(String.format(Locale.ROOT, "rejected %,d", rejected));
        if (atomicAborted) {
            s.append(" — nothing published: --atomic and rows were rejected");
        }
        if (rejected > 0) {
            s.append(" (details in ").append(rejectFile).append(')');
        }
        s.append(String.format(Locale.ROOT, " in %.1f s, %s", took.toNanos() / 1e9, RowCount.perSecond(rowsPerSecond())));
        return s.toString();
    }
}
