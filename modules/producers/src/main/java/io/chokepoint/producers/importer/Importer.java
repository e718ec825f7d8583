package io.chokepoint.producers.importer;

import io.chokepoint.producers.EventPublisher;
import io.chokepoint.producers.PublishException;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Imports one file of licences, tariffs or milestones: streams its rows (constant memory),
 * validates each, publishes the valid ones through an {@link EventPublisher} and reports the
 * others. With {@code atomic} all rows go in one Kafka transaction that is aborted when any row is
 * rejected or the file turns out bad, so a consumer reading committed data sees all or nothing.
 *
 * <p>Without {@code atomic}, a file that turns out bad half-way (invalid UTF-8 on line 500 000)
 * keeps the rows published before the bad line; the error says how many.
 */
public final class Importer {

    private final Function<EventPublisher.Mode, EventPublisher> publishers;
    private final InputStream stdin;
    private final PrintStream err;
    private final boolean terminal;

    /**
     * @param publishers opens a publisher in the requested mode; not called for a dry run
     * @param err        rejects and progress
     * @param terminal   draw a progress bar rather than periodic lines
     */
    public Importer(Function<EventPublisher.Mode, EventPublisher> publishers, InputStream stdin, PrintStream err, boolean terminal) {
        this.publishers = publishers;
        this.stdin = stdin;
        this.err = err;
        this.terminal = terminal;
    }

    public ImportSummary run(ImportOptions options) throws BadFileException {
        long started = System.nanoTime();
        String name = options.fromStdin() ? "stdin" : options.input();
        InputFormat format = options.format().or(() -> options.fromStdin() ? java.util.Optional.empty()
                : InputFormat.fromFileName(options.input())).orElseThrow(() -> new BadFileException(
                "cannot tell the format of " + name + " from its name: pass --format csv or --format jsonl"));
        long size = options.fromStdin() ? -1 : checkReadable(options.input(), options.kind());
        Progress progress = err == null ? Progress.none() : new Progress(err, terminal, name, size);

        try (RowSource rows = open(options, name, format, stdin);
             EventFileReader events = new EventFileReader(options.kind(), rows,
                     new RejectLog(name, options.resolvedRejectFile(), err == null ? nullStream() : err, options.maxShown()));
             EventPublisher publisher = options.dryRun() ? null
                     : publishers.apply(options.atomic() ? EventPublisher.Mode.TRANSACTIONAL : EventPublisher.Mode.IDEMPOTENT)) {
            importRows(options, events, publisher, progress);
            progress.finish();
            long published = 0;
            boolean aborted = false;
            if (publisher != null) {
                if (options.atomic()) {
                    if (events.rejectedRows() > 0) {
                        publisher.abortTransaction();
                        aborted = true;
                    } else {
                        publisher.commitTransaction();
                        published = publisher.acknowledged();
                    }
                } else {
                    publisher.flush();
                    published = publisher.acknowledged();
                }
            }
            return new ImportSummary(name, options.kind(), events.read(), events.valid(), published, events.rejectedRows(), options.dryRun(),
                    aborted, events.rejectFile(), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new BadFileException("cannot read " + name + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new BadFileException(e.getMessage());
        }
    }

    private void importRows(ImportOptions options, EventFileReader events, EventPublisher publisher, Progress progress)
            throws BadFileException {
        if (publisher != null && options.atomic()) {
            publisher.beginTransaction();
        }
        try {
            SpecificRecord event;
            long shown = 0;
            while ((event = events.next()) != null) {
                if (publisher != null) {
                    options.kind().publish(publisher, event);
                }
                if (events.read() - shown >= 1024) {
                    shown = events.read();
                    progress.update(events.read(), events.bytesRead());
                }
            }
        } catch (BadFileException e) {
            progress.finish();
            throw settleAfterBadFile(options, publisher, e);
        } catch (RuntimeException e) {
            progress.finish();
            abortQuietly(options, publisher, e);
            throw e;
        }
    }

    /**
     * The file turned out bad half-way: in a transaction nothing is kept; otherwise the rows before
     * the bad line are flushed and the message says how many were published.
     */
    private static BadFileException settleAfterBadFile(ImportOptions options, EventPublisher publisher, BadFileException e) {
        if (publisher == null) {
            return e;
        }
        if (options.atomic()) {
            abortQuietly(options, publisher, e);
            return new BadFileException(e.getMessage() + "; nothing was published (--atomic)");
        }
        try {
            publisher.flush();
        } catch (PublishException flushFailed) {
            e.addSuppressed(flushFailed);
        }
        long published = publisher.acknowledged();
        return published == 0 ? e : new BadFileException(e.getMessage() + "; the " + RowCount.rows(published).replace(" row", " valid row")
                + (published == 1 ? " before it was" : " before it were") + " published (use --atomic for all or nothing)");
    }

    private static void abortQuietly(ImportOptions options, EventPublisher publisher, Exception cause) {
        if (publisher != null && options.atomic()) {
            try {
                publisher.abortTransaction();
            } catch (RuntimeException abortFailed) {
                cause.addSuppressed(abortFailed);
            }
        }
    }

    static RowSource open(ImportOptions options, String name, InputFormat format, InputStream stdin) throws BadFileException {
        InputStream in;
        try {
            in = options.fromStdin() ? stdin : Files.newInputStream(Path.of(options.input()));
        } catch (IOException e) {
            throw new BadFileException("cannot open " + name + ": " + e.getMessage());
        }
        ValidatingReader reader = new ValidatingReader(in, options.maxLineLength());
        return switch (format) {
            case CSV -> new CsvRowSource(name, reader, options.kind());
            case JSONL -> new JsonLinesRowSource(name, reader, options.kind());
        };
    }

    /** Fails with one clear line when the file is missing, a directory, unreadable or empty; returns its size. */
    static long checkReadable(String input, ImportKind kind) throws BadFileException {
        Path path = Path.of(input);
        try {
            if (Files.isDirectory(path)) {
                throw new BadFileException(input + " is a directory, not a " + kind.word() + " file");
            }
            long size = Files.size(path);
            if (!Files.isReadable(path)) {
                throw new BadFileException(input + " is not readable (check its permissions)");
            }
            if (size == 0) {
                throw new BadFileException(input + " is empty (0 bytes): expected a header line or JSON objects");
            }
            return size;
        } catch (NoSuchFileException e) {
            throw new BadFileException(input + " does not exist");
        } catch (AccessDeniedException e) {
            throw new BadFileException(input + " is not readable (check its permissions)");
        } catch (IOException e) {
            throw new BadFileException("cannot read " + input + ": " + e.getMessage());
        }
    }

    private static PrintStream nullStream() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
