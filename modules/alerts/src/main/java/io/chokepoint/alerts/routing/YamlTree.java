package io.chokepoint.alerts.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node remembers its line and its path from the root
 * ({@code route.routes[1].group_wait}), so that validation errors can name file, line and field.
 * Jackson's {@code readTree} drops locations; this walks the token stream instead.
 */
public final class YamlTree {

    /** A node of the document. */
    public sealed interface Node permits Mapping, Sequence, Scalar {
        int line();

        String path();
    }

    /** A YAML mapping; {@code keyLines} gives the line of each key for "unknown field" errors. */
    public record Mapping(Map<String, Node> entries, Map<String, Integer> keyLines, int line, String path) implements Node {
    }

    public record Sequence(List<Node> items, int line, String path) implements Node {
    }

    /** A scalar; {@code text} is null for YAML null ({@code ~} or nothing). */
    public record Scalar(String text, int line, String path) implements Node {
    }

    private YamlTree() {
    }

    public static Node parse(Reader reader, String file) {
        try (JsonParser parser = new YAMLFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Mapping(Map.of(), Map.of(), 1, "");
            }
            return read(parser, "", file);
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                    ? jpe.getLocation().getLineNr() : 0;
            throw new RoutingConfigException(file, line, "", "is not valid YAML: " + message);
        }
    }

    private static Node read(JsonParser parser, String path, String file) throws IOException {
        JsonToken token = parser.currentToken();
        int line = parser.currentTokenLocation().getLineNr();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    if (entries.containsKey(key)) {
                        throw new RoutingConfigException(file, keyLine, join(path, key), "appears twice");
                    }
                    parser.nextToken();
                    keyLines.put(key, keyLine);
                    entries.put(key, read(parser, join(path, key), file));
                }
                return new Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keyLines), line, path);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, path + "[" + items.size() + "]", file));
                }
                return new Sequence(List.copyOf(items), line, path);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line, path);
            }
            default -> {
                return new Scalar(parser.getText(), line, path);
            }
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
