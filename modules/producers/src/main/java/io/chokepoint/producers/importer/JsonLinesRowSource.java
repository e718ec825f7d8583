package io.chokepoint.producers.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines: one object per line with the same field names as the CSV header. Strings and
 * numbers are accepted for every field (a number is read as its text), {@code null} means absent.
 */
final class JsonLinesRowSource implements RowSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final ValidatingReader reader;
    private final BufferedReader lines;
    private final ImportKind kind;
    private long line;

    JsonLinesRowSource(String file, ValidatingReader reader, ImportKind kind) throws BadFileException {
        this.file = file;
        this.reader = reader;
        this.lines = new BufferedReader(reader, 64 * 1024);
        this.kind = kind;
        try {
            lines.mark(1);
            if (lines.read() < 0) {
                throw new BadFileException(file + " is empty: expected one JSON object per line");
            }
            lines.reset();
        } catch (IOException e) {
            throw translate(e);
        }
    }

    @Override
    public Row next() throws BadFileException {
        try {
            while (true) {
                String text = lines.readLine();
                if (text == null) {
                    return null;
                }
                line++;
                if (text.isBlank()) {
                    continue;
                }
                return parse(text);
            }
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private Row parse(String text) throws IOException, BadFileException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (isLastLine() && !reader.endedWithLineBreak()) {
                throw new BadFileException(file + " line " + line + ": the last line is truncated (incomplete JSON and no line break): "
                        + "was the file cut off?");
            }
            String why = e.getOriginalMessage().lines().findFirst().orElse("not JSON");
            return invalid(RejectReason.BAD_JSON, "is not valid JSON: " + why);
        }
        if (!node.isObject()) {
            return invalid(RejectReason.BAD_JSON, "is not a JSON object but " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<Reject> structural = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (!kind.columns().contains(field.getKey())) {
                structural.add(new Reject(line, 0, field.getKey(), RejectReason.UNKNOWN_FIELD, abbreviate(value.toString()),
                        "is not a field of " + kind.word() + " (expected " + String.join(", ", kind.columns()) + ")"));
            } else if (value.isContainerNode()) {
                structural.add(new Reject(line, 0, field.getKey(), RejectReason.BAD_TYPE, abbreviate(value.toString()),
                        "must be a string or a number, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            } else if (!value.isNull()) {
                values.put(field.getKey(), value.asText());
            }
        }
        return new Row(line, values, Map.of(), structural);
    }

    private Row invalid(RejectReason reason, String message) {
        return new Row(line, Map.of(), Map.of(), List.of(new Reject(line, 0, "", reason, "", message)));
    }

    private boolean isLastLine() throws IOException {
        lines.mark(1);
        int next = lines.read();
        lines.reset();
        return next < 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private BadFileException translate(IOException e) {
        if (e instanceof BadInputException bad) {
            return new BadFileException(file + " " + bad.getMessage());
        }
        return new BadFileException("cannot read " + file + ": " + e.getMessage());
    }

    @Override
    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
