package io.chokepoint.rules.testing;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML node that knows its file, line and path, so every error in a rule-test file says where
 * it is ({@code tests.yaml:14:9: tests[0].input[1].values.p95DelayHours: …}).
 */
final class YamlNode {

    /** A problem in a test file, already located. */
    static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message);
        }
    }

    private final String file;
    private final String path;
    private final Node node;

    private YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static YamlNode parse(String text, String file) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            if (root == null) {
                throw new Problem(file + ": is empty");
            }
            return new YamlNode(file, "", root);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw new Problem(file + (m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)) + ": not valid YAML: " + e.getProblem());
        }
    }

    Problem problem(String message) {
        Mark m = node.getStartMark();
        return new Problem(file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    String path() {
        return path;
    }

    Map<String, YamlNode> fields(Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            throw problem("must be a mapping");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            YamlNode child = new YamlNode(file, path.isEmpty() ? key : path + "." + key, t.getValueNode());
            if (allowed != null && !allowed.contains(key)) {
                throw new YamlNode(file, child.path, t.getKeyNode()).problem("unknown field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (out.put(key, child) != null) {
                throw child.problem("appears twice");
            }
        }
        return out;
    }

    List<YamlNode> items() {
        if (node instanceof SequenceNode seq) {
            List<YamlNode> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                out.add(new YamlNode(file, path + "[" + i + "]", seq.getValue().get(i)));
            }
            return out;
        }
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return List.of();
        }
        throw problem("must be a list");
    }

    String text() {
        if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            return s.getValue();
        }
        throw problem("must be a single value");
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    static Optional<YamlNode> opt(Map<String, YamlNode> fields, String key) {
        return Optional.ofNullable(fields.get(key));
    }

    static YamlNode required(YamlNode owner, Map<String, YamlNode> fields, String key) {
        YamlNode n = fields.get(key);
        if (n == null) {
            throw owner.problem("'" + key + "' is required");
        }
        return n;
    }

    Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        fields(null).forEach((k, v) -> out.put(k, v.text()));
        return out;
    }
}
