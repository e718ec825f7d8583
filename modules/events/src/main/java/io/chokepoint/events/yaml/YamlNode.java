package io.chokepoint.events.yaml;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node of a YAML document that remembers where it stood: file, line, column and its path from
 * the root ({@code route.routes[1].group_wait}), so that every validation error can name them.
 * Read with {@link YamlTree#parse}.
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    String file();

    int line();

    int column();

    String path();

    /** A problem located at this node, named by its path. */
    default YamlProblem problem(String message) {
        return new YamlProblem(file(), line(), column(), path(), message);
    }

    /** A problem located at this node but named by another field, e.g. a missing child. */
    default YamlProblem problem(String field, String message) {
        return new YamlProblem(file(), line(), column(), field, message);
    }

    /** The same problem, thrown by readers that stop at the first one. */
    default InvalidYamlException error(String message) {
        return new InvalidYamlException(problem(message));
    }

    /** This node as a mapping, or the problem that it is not one. */
    default Mapping asMapping() {
        if (this instanceof Mapping m) {
            return m;
        }
        throw error("must be a mapping (key: value lines)");
    }

    /** The items of a list; a YAML null (nothing written) is the empty list. */
    default List<YamlNode> items() {
        if (this instanceof Sequence s) {
            return s.items();
        }
        if (this instanceof Scalar s && s.isNull()) {
            return List.of();
        }
        throw error("must be a list");
    }

    /** The text of a scalar that is neither null nor blank. */
    default String text() {
        if (this instanceof Scalar s && s.value() != null && !s.value().isBlank()) {
            return s.value();
        }
        throw error(this instanceof Scalar ? "must not be empty" : "must be a single value, not a list or mapping");
    }

    /** The path of a child of {@code path} named {@code key}. */
    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * A mapping in document order. {@code keys} holds each key's own node, where "unknown field"
     * is reported. A key that appeared twice keeps its first value (the tree reports the second).
     */
    record Mapping(Map<String, YamlNode> entries, Map<String, Scalar> keys, String file, int line, int column, String path)
            implements YamlNode {

        /** The child, absent when the key is missing or its value is YAML null. */
        public Optional<YamlNode> get(String key) {
            YamlNode child = entries.get(key);
            return child instanceof Scalar s && s.isNull() ? Optional.empty() : Optional.ofNullable(child);
        }

        /** A mapping of names to single values. */
        public Map<String, String> texts() {
            Map<String, String> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k, v.text()));
            return out;
        }

        /** The child, or "is required" at this mapping when it is absent (at the child when it is null). */
        public YamlNode required(String key) {
            YamlNode child = entries.get(key);
            if (child == null || child instanceof Scalar s && s.isNull()) {
                throw new InvalidYamlException((child == null ? this : child).problem(join(path, key), "is required"));
            }
            return child;
        }

        /** An "unknown field" problem, at the key, for every key not in {@code known} (listed in the given order). */
        public List<YamlProblem> unknownFields(Collection<String> known) {
            return unknownFields(known, path);
        }

        /** The same, naming each field under {@code name} instead of this mapping's path (e.g. a rule's id). */
        public List<YamlProblem> unknownFields(Collection<String> known, String name) {
            String list = String.join(", ", known);
            return keys.values().stream()
                    .filter(k -> !known.contains(k.value()))
                    .map(k -> k.problem(join(name, k.value()), "unknown field (known: " + list + ")"))
                    .toList();
        }
    }

    record Sequence(List<YamlNode> items, String file, int line, int column, String path) implements YamlNode {
    }

    /** A scalar as written; {@code value} is null for YAML null ({@code ~}, {@code null} or nothing). */
    record Scalar(String value, String file, int line, int column, String path) implements YamlNode {

        public boolean isNull() {
            return value == null;
        }
    }
}
