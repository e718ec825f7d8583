package io.chokepoint.producers.importer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reports rejects twice: readable lines on stderr (the first {@code maxShown}, then a count, so a
 * million bad rows do not flood a terminal) and every one of them in a CSV reject file
 * ({@code file,line,column,field,reason,value,message}) that scripts and spreadsheets can read.
 * The reject file is created on the first reject; a stale one from an earlier run is removed
 * when this run has none, so its presence always means "this import rejected rows".
 */
final class RejectLog implements AutoCloseable {

    static final String[] HEADER = {"file", "line", "column", "field", "reason", "value", "message"};

    private final String file;
    private final Path rejectFile;
    private final java.util.function.Consumer<String> err;
    private final int maxShown;
    private CSVPrinter printer;
    private long rejects;
    private long rejectedRows;

    RejectLog(String file, Path rejectFile, PrintStream err, int maxShown) {
        this(file, rejectFile, (java.util.function.Consumer<String>) err::println, maxShown);
    }

    /** @param err receives each line shown to the user */
    RejectLog(String file, Path rejectFile, java.util.function.Consumer<String> err, int maxShown) {
        this.file = file;
        this.rejectFile = rejectFile;
        this.err = err;
        this.maxShown = maxShown;
    }

    void rowRejected(Iterable<Reject> reasons) {
        rejectedRows++;
        for (Reject reject : reasons) {
            if (rejects++ < maxShown) {
                err.accept(reject.describe(file));
            }
            write(reject);
        }
    }

    private void write(Reject reject) {
        try {
            if (printer == null) {
                printer = new CSVPrinter(Files.newBufferedWriter(rejectFile, StandardCharsets.UTF_8),
                        CSVFormat.DEFAULT.builder().setHeader(HEADER).get());
            }
            printer.printRecord(file, reject.line(), reject.column() > 0 ? reject.column() : "", reject.field(),
                    reject.reason().name(), reject.value(), reject.message());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reject file " + rejectFile + ": " + e.getMessage(), e);
        }
    }

    long rejectedRows() {
        return rejectedRows;
    }

    Path rejectFile() {
        return rejectFile;
    }

    @Override
    public void close() {
        try {
            if (printer != null) {
                printer.close();
            } else {
                Files.deleteIfExists(rejectFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the reject file " + rejectFile + ": " + e.getMessage(), e);
        }
        if (rejects > maxShown) {
            err.accept("… and " + (rejects - maxShown) + " more rejects, all in " + rejectFile);
        }
    }
}
