package io.chokepoint.rules.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.producers.EventIds;
import io.chokepoint.events.avro.TariffMeasure;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads one history file in the importers' formats (DESIGN.md, "Input files": CSV with header or
 * JSON lines with the same field names), streaming, in file order. The kind (licences, tariffs,
 * milestones) is recognised by its columns. A row that does not make a valid event is skipped and
 * reported with file, line and field; a backtest should not stop at the first typo of a year of
 * history. Event ids follow the importers' scheme, so the aggregation de-duplicates the same way.
 */
public final class HistoryFile implements Closeable, Iterator<HistoryEvent> {

    public enum Kind { LICENCES, TARIFFS, MILESTONES }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Kind kind;
    private final Consumer<String> rejects;
    private final Closeable resource;
    private final Iterator<Map<String, String>> rows;
    private final Iterator<Long> lines;
    private HistoryEvent next;

    private HistoryFile(Path file, Kind kind, Consumer<String> rejects, Closeable resource,
                        Iterator<Map<String, String>> rows, Iterator<Long> lines) {
        this.file = file;
        this.kind = kind;
        this.rejects = rejects;
        this.resource = resource;
        this.rows = rows;
        this.lines = lines;
        advance();
    }

    /** Opens a history file; {@code rejects} receives one line per skipped row. */
    public static HistoryFile open(Path file, Consumer<String> rejects) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
                return jsonLines(file, reader, rejects);
            }
            CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get().parse(reader);
            Kind kind = kindOf(parser.getHeaderNames(), file);
            Iterator<CSVRecord> records = parser.iterator();
            long[] line = {1};
            Iterator<Map<String, String>> rows = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return records.hasNext();
                }

                @Override
                public Map<String, String> next() {
                    CSVRecord r = records.next();
                    line[0] = parser.getCurrentLineNumber();
                    return r.toMap();
                }
            };
            Iterator<Long> lines = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Long next() {
                    return line[0];
                }
            };
            return new HistoryFile(file, kind, rejects, parser, rows, lines);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static HistoryFile jsonLines(Path file, BufferedReader reader, Consumer<String> rejects) throws IOException {
        // the kind comes from the first object's fields
        reader.mark(1 << 20);
        String first;
        do {
            first = reader.readLine();
        } while (first != null && first.isBlank());
        if (first == null) {
            throw new IOException(file + ": is empty");
        }
        reader.reset();
        JsonNode firstNode = JSON.readTree(first);
        List<String> names = new java.util.ArrayList<>();
        firstNode.fieldNames().forEachRemaining(names::add);
        Kind kind = kindOf(names, file);
        Iterator<String> textLines = reader.lines().iterator();
        long[] line = {0};
        Iterator<Map<String, String>> rows = new Iterator<>() {
            private String pending;

            @Override
            public boolean hasNext() {
                while (pending == null && textLines.hasNext()) {
                    line[0]++;
                    String l = textLines.next();
                    if (!l.isBlank()) {
                        pending = l;
                    }
                }
                return pending != null;
            }

            @Override
            public Map<String, String> next() {
                hasNext();
                String text = pending;
                pending = null;
                Map<String, String> row = new LinkedHashMap<>();
                try {
                    JSON.readTree(text).properties().forEach(e -> row.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    row.put("__error", "not a JSON object: " + e.getOriginalMessage());
                }
                return row;
            }
        };
        Iterator<Long> lines = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                return line[0];
            }
        };
        return new HistoryFile(file, kind, rejects, reader, rows, lines);
    }

    static Kind kindOf(List<String> columns, Path file) throws IOException {
        Set<String> c = Set.copyOf(columns);
        if (c.contains("licence_id")) {
            return Kind.LICENCES;
        }
        if (c.contains("change_id")) {
            return Kind.TARIFFS;
        }
        if (c.contains("shipment_id")) {
            return Kind.MILESTONES;
        }
        throw new IOException(file + ": not a licences, tariffs or milestones file (expected a licence_id, change_id or shipment_id column)");
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public HistoryEvent next() {
        HistoryEvent e = next;
        advance();
        return e;
    }

    /** Peeks at the next event without consuming it. */
    public HistoryEvent peek() {
        return next;
    }

    private void advance() {
        next = null;
        while (next == null && rows.hasNext()) {
            Map<String, String> row = rows.next();
            long line = lines.next();
            try {
                if (row.containsKey("__error")) {
                    throw new RowProblem("", row.get("__error"));
                }
                next = toEvent(row, file + ":" + line);
            } catch (RowProblem p) {
                rejects.accept(file + ":" + line + ": " + (p.field.isEmpty() ? "" : p.field + ": ") + p.getMessage());
            }
        }
    }

    private HistoryEvent toEvent(Map<String, String> r, String source) {
        return switch (kind) {
            case LICENCES -> {
                String licenceId = text(r, "licence_id");
                Instant decidedAt = time(r, "decided_at");
                String hs = hs(r);
                LicenceDecision decision = enumOf(r, "decision", LicenceDecision.class);
                ExportLicenseDecision d = new ExportLicenseDecision(
                        EventIds.licence(licenceId, hs, decision.name(), decidedAt), licenceId,
                        decidedAt, text(r, "authority"), text(r, "exporter"), text(r, "importer"), hs, decision, number(r, "quantity_kg", false));
                yield new HistoryEvent(d, decidedAt, source);
            }
            case TARIFFS -> {
                String changeId = text(r, "change_id");
                String hs = hs(r);
                String imposing = text(r, "imposing_country");
                String target = text(r, "target_country");
                Instant announced = time(r, "announced_at");
                TariffChange c = new TariffChange(EventIds.tariff(changeId, hs, imposing, target), changeId, announced,
                        time(r, "effective_at"), imposing, target, hs, number(r, "previous_rate_pct", true),
                        number(r, "new_rate_pct", true), enumOf(r, "measure", TariffMeasure.class));
                yield new HistoryEvent(c, announced, source);
            }
            case MILESTONES -> {
                String shipmentId = text(r, "shipment_id");
                Milestone milestone = enumOf(r, "milestone", Milestone.class);
                Instant actual = time(r, "actual_at");
                String plannedText = r.getOrDefault("planned_at", "");
                Instant planned = plannedText.isBlank() && (milestone == Milestone.BOOKED || milestone == Milestone.CANCELLED)
                        ? actual : time(r, "planned_at");
                String carrier = r.getOrDefault("carrier", "");
                ShipmentMilestone m = new ShipmentMilestone(EventIds.milestone(shipmentId, milestone.name()), shipmentId, hs(r),
                        text(r, "origin"), text(r, "destination"), milestone, planned, actual, number(r, "quantity_kg", false),
                        carrier.isBlank() ? null : carrier);
                yield new HistoryEvent(m, actual, source);
            }
        };
    }

    private static final class RowProblem extends RuntimeException {
        private final String field;

        RowProblem(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    private static String text(Map<String, String> r, String field) {
        String v = r.get(field);
        if (v == null || v.isBlank()) {
            throw new RowProblem(field, "is required");
        }
        return v.strip();
    }

    private static String hs(Map<String, String> r) {
        String v = text(r, "hs_code");
        return HsCode.normalise(v).orElseThrow(() -> new RowProblem("hs_code", "'" + v + "' is not a 6-digit HS code"));
    }

    private static Instant time(Map<String, String> r, String field) {
        String v = text(r, field);
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new RowProblem(field, "'" + v + "' is not an ISO-8601 time with offset");
        }
    }

    private static Double number(Map<String, String> r, String field, boolean required) {
        String v = r.get(field);
        if (v == null || v.isBlank()) {
            if (required) {
                throw new RowProblem(field, "is required");
            }
            return null;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new RowProblem(field, "'" + v + "' is not a number");
        }
    }

    private static <E extends Enum<E>> E enumOf(Map<String, String> r, String field, Class<E> type) {
        String v = text(r, field).toUpperCase(Locale.ROOT);
        try {
            E e = Enum.valueOf(type, v);
            if (e.name().equals("UNKNOWN")) {
                throw new IllegalArgumentException();
            }
            return e;
        } catch (IllegalArgumentException e) {
            throw new RowProblem(field, "'" + r.get(field) + "' is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).filter(n -> !n.equals("UNKNOWN")).toList());
        }
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
