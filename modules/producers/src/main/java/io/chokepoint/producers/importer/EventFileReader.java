package io.chokepoint.producers.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The valid events of one input file, read as {@code chokepoint produce} reads them: the same
 * strict text, the same mapping from row to event ({@link ImportKind}) and the same rejects, on
 * stderr and in the reject report. The importer publishes what it returns; a backtest replays it.
 * Streams the file: memory does not depend on its size.
 */
public final class EventFileReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The column that names each kind of file, for files whose kind is not given. */
    private static final Map<String, ImportKind> IDENTITY_COLUMNS = Map.of(
            "licence_id", ImportKind.LICENCES, "change_id", ImportKind.TARIFFS, "shipment_id", ImportKind.MILESTONES);

    private final ImportKind kind;
    private final RowSource rows;
    private final RejectLog rejects;
    private long read;
    private long valid;
    private long line;

    EventFileReader(ImportKind kind, RowSource rows, RejectLog rejects) {
        this.kind = kind;
        this.rows = rows;
        this.rejects = rejects;
    }

    /**
     * Opens a file of any kind, recognised by its columns (licence_id, change_id or shipment_id);
     * the format comes from the extension. Rejects go to {@code err}, one line each (the first {@code maxShown})
     * and to {@code F.rejects.csv} next to the file.
     */
    public static EventFileReader open(Path file, java.util.function.Consumer<String> err, int maxShown) throws BadFileException {
        String name = file.toString();
        InputFormat format = InputFormat.fromFileName(name).orElseThrow(() -> new BadFileException(
                "cannot tell the format of " + name + " from its name: use .csv, or .jsonl / .ndjson / .json for JSON lines"));
        ImportOptions options = ImportOptions.of(detectKind(file, format), name).withFormat(format);
        Importer.checkReadable(name, options.kind());
        try {
            RowSource rows = Importer.open(options, name, format, null);
            return new EventFileReader(options.kind(), rows, new RejectLog(name, options.resolvedRejectFile(), err, maxShown));
        } catch (RuntimeException e) {
            throw new BadFileException(name + ": " + e.getMessage());
        }
    }

    /** The kind of a file from its header (CSV) or its first object's fields (JSON lines). */
    static ImportKind detectKind(Path file, InputFormat format) throws BadFileException {
        String name = file.toString();
        List<String> fields = new ArrayList<>();
        long lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first;
            do {
                first = in.readLine();
                lineNo++;
            } while (first != null && first.isBlank() && format == InputFormat.JSONL);
            if (first == null) {
                throw new BadFileException(name + " is empty: expected " + (format == InputFormat.CSV ? "a header line" : "one JSON object per line"));
            }
            first = first.replace("\uFEFF", "");
            if (format == InputFormat.CSV) {
                try (CSVParser header = CSVParser.parse(new StringReader(first), CSVFormat.DEFAULT)) {
                    for (CSVRecord r : header) {
                        r.forEach(c -> fields.add(c.strip()));
                    }
                }
            } else {
                JsonNode node = JSON.readTree(first);
                if (node != null && node.isObject()) {
                    node.fieldNames().forEachRemaining(fields::add);
                }
            }
        } catch (BadFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadFileException(name + " line " + lineNo + ": cannot tell what kind of file this is: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        long headerLine = lineNo;
        return IDENTITY_COLUMNS.entrySet().stream().filter(e -> fields.contains(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new BadFileException(name + " line " + headerLine
                        + ": not a licences, tariffs or milestones file (expected a licence_id, change_id or shipment_id "
                        + (format == InputFormat.CSV ? "column" : "field") + ")"));
    }

    public ImportKind kind() {
        return kind;
    }

    /** The next valid event, or {@code null} at the end; rejected rows are reported and skipped. */
    public SpecificRecord next() throws BadFileException {
        Row row;
        while ((row = rows.next()) != null) {
            read++;
            FieldReader fields = new FieldReader(row);
            // a line that is not even a JSON object has no fields worth checking one by one
            SpecificRecord event = row.values().isEmpty() && !fields.ok() ? null : kind.map(fields);
            if (event == null) {
                rejects.rowRejected(fields.rejects());
            } else {
                valid++;
                line = row.line();
                return event;
            }
        }
        return null;
    }

    /** The line of the event {@link #next} returned last. */
    public long line() {
        return line;
    }

    public long read() {
        return read;
    }

    public long valid() {
        return valid;
    }

    public long rejectedRows() {
        return rejects.rejectedRows();
    }

    public Path rejectFile() {
        return rejects.rejectFile();
    }

    long bytesRead() {
        return rows.bytesRead();
    }

    /** Finishes the reject report (removing a stale one when nothing was rejected). */
    @Override
    public void close() {
        try {
            rows.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            rejects.close();
        }
    }
}
