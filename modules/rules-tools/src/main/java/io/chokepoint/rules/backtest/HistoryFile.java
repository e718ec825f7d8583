package io.chokepoint.rules.backtest;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.producers.importer.BadFileException;
import io.chokepoint.producers.importer.EventFileReader;
import org.apache.avro.specific.SpecificRecord;

import java.io.Closeable;
import java.util.function.Consumer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One history file in the importers' formats, read by the importers' own reader: the same
 * validation, the same event ids, the same rejects (stderr and {@code F.rejects.csv}), so a
 * backtest replays exactly what {@code chokepoint produce} would publish. Adds what the replay
 * needs: a look at the next event and its event time (the time the delay aggregation uses).
 */
public final class HistoryFile implements Closeable {

    private final Path file;
    private final EventFileReader reader;
    private HistoryEvent next;

    private HistoryFile(Path file, EventFileReader reader) throws BadFileException {
        this.file = file;
        this.reader = reader;
        advance();
    }

    /** Opens a history file of any kind (recognised by its columns); rejected rows go to {@code err}, the first {@code maxShown}. */
    public static HistoryFile open(Path file, Consumer<String> err, int maxShown) throws BadFileException {
        EventFileReader reader = EventFileReader.open(file, err, maxShown);
        try {
            return new HistoryFile(file, reader);
        } catch (BadFileException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public boolean hasNext() {
        return next != null;
    }

    /** The next event without consuming it. */
    public HistoryEvent peek() {
        return next;
    }

    public HistoryEvent next() throws BadFileException {
        HistoryEvent e = next;
        advance();
        return e;
    }

    public long rejectedRows() {
        return reader.rejectedRows();
    }

    public Path rejectFile() {
        return reader.rejectFile();
    }

    private void advance() throws BadFileException {
        SpecificRecord event = reader.next();
        next = event == null ? null : new HistoryEvent(event, eventTime(event), file + ":" + reader.line());
    }

    /** The event time the delay aggregation assigns: decision, announcement, actual milestone time. */
    static Instant eventTime(SpecificRecord event) {
        if (event instanceof ExportLicenseDecision d) {
            return d.getDecidedAt();
        }
        if (event instanceof TariffChange c) {
            return c.getAnnouncedAt();
        }
        return ((ShipmentMilestone) event).getActualAt();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e.getCause());
        }
    }
}
