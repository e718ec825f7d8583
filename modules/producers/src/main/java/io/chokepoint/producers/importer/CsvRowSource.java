package io.chokepoint.producers.importer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV rows with a header (RFC 4180 via commons-csv, streaming). The header must name every
 * required column of the kind and nothing else; columns may come in any order.
 */
final class CsvRowSource implements RowSource {

    private final String file;
    private final ValidatingReader reader;
    private final CSVParser parser;
    private final java.util.Iterator<CSVRecord> records;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private long lastRecordEnd;

    CsvRowSource(String file, ValidatingReader reader, ImportKind kind) throws BadFileException {
        this.file = file;
        this.reader = reader;
        // empty lines are kept as records (and skipped below) so that line numbers stay exact
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();
        try {
            this.parser = CSVParser.parse(reader, format);
            this.records = parser.iterator();
            if (!records.hasNext()) {
                throw new BadFileException(file + " is empty: expected a header line: " + String.join(",", kind.columns()));
            }
            CSVRecord first = records.next();
            this.header = first.toList().stream().map(String::strip).toList();
            this.lastRecordEnd = parser.getCurrentLineNumber();
        } catch (IOException | UncheckedIOException e) {
            throw translate(e);
        }
        checkHeader(kind);
    }

    private void checkHeader(ImportKind kind) throws BadFileException {
        List<String> missing = new ArrayList<>();
        for (String column : kind.columns()) {
            if (!header.contains(column) && !kind.optionalColumns().contains(column)) {
                missing.add(column);
            }
        }
        List<String> unknown = header.stream().filter(h -> !kind.columns().contains(h)).toList();
        String expected = "expected " + String.join(",", kind.columns());
        if (header.size() == 1 && header.get(0).isEmpty()) {
            throw new BadFileException(file + " line 1: the header is missing (" + expected + ")");
        }
        if (!unknown.isEmpty()) {
            throw new BadFileException(file + " line 1: wrong header, unknown column" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (is this a " + kind.word() + " file? " + expected + ")");
        }
        if (!missing.isEmpty()) {
            throw new BadFileException(file + " line 1: wrong header, missing column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (" + expected + ")");
        }
        for (int i = 0; i < header.size(); i++) {
            if (columns.put(header.get(i), i + 1) != null) {
                throw new BadFileException(file + " line 1: wrong header, column " + header.get(i) + " appears twice");
            }
        }
    }

    @Override
    public Row next() throws BadFileException {
        try {
            while (true) {
                if (!records.hasNext()) {
                    return null;
                }
                long line = lastRecordEnd + 1;
                lastRecordEnd = parser.getCurrentLineNumber();
                CSVRecord record = records.next();
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // a blank line
                }
                List<Reject> structural = List.of();
                if (record.size() != header.size()) {
                    // a short last line without a line break is a copy cut off mid-row, not a bad row
                    if (!records.hasNext() && !reader.endedWithLineBreak()) {
                        throw new BadFileException(file + " line " + line + ": the last line is truncated (" + record.size()
                                + " of " + header.size() + " fields and no line break): was the file cut off?");
                    }
                    structural = List.of(new Reject(line, Math.min(record.size(), header.size()) + 1, "", RejectReason.FIELD_COUNT,
                            "", "has " + record.size() + " fields, the header has " + header.size()));
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    values.put(header.get(i), i < record.size() ? record.get(i) : null);
                }
                return new Row(line, values, columns, structural);
            }
        } catch (UncheckedIOException e) {
            throw translate(e);
        }
    }

    private BadFileException translate(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof BadInputException bad) {
            return new BadFileException(file + " " + bad.getMessage());
        }
        String message = String.valueOf(cause.getMessage());
        if (message.contains("EOF reached before encapsulated token finished")) {
            return new BadFileException(file + " line " + (lastRecordEnd + 1)
                    + ": a quoted field is never closed; the last line is truncated or a quote is missing");
        }
        return new BadFileException(file + " line " + (lastRecordEnd + 1) + ": " + message);
    }

    @Override
    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
