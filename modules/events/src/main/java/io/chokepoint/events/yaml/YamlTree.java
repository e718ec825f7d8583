package io.chokepoint.events.yaml;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a YAML (or JSON) document into {@link YamlNode}s that know their location. Works on
 * SnakeYAML's composed node graph, never on constructed objects, so a document cannot
 * instantiate a type; SnakeYAML's default limits refuse alias bombs ("billion laughs"),
 * over-deep nesting and documents over 3 MB.
 */
public final class YamlTree {

    private YamlTree() {
    }

    /**
     * The document's root, or empty for an empty document. A document that is not YAML throws
     * {@link InvalidYamlException}; a key given twice or a key that is not a plain word is added
     * to {@code problems} and reading goes on, so a caller can report them with its own.
     */
    public static Optional<YamlNode> parse(String text, String file, List<YamlProblem> problems) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            int column = mark == null ? 0 : mark.getColumn() + 1;
            throw new InvalidYamlException(new YamlProblem(file, line, column, "", "not valid YAML: " + e.getProblem()));
        } catch (YAMLException e) {
            throw new InvalidYamlException(YamlProblem.ofFile(file, "not valid YAML: " + e.getMessage()));
        }
        return Optional.ofNullable(root).map(r -> read(r, "", file, problems));
    }

    private static YamlNode read(Node node, String path, String file, List<YamlProblem> problems) {
        Mark mark = node.getStartMark();
        int line = mark.getLine() + 1;
        int column = mark.getColumn() + 1;
        if (node instanceof MappingNode map) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, YamlNode.Scalar> keys = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || keyNode.getTag().equals(Tag.NULL)) {
                    problems.add(read(tuple.getKeyNode(), path, file, problems).problem("field names must be plain words"));
                    continue;
                }
                String key = keyNode.getValue();
                String childPath = YamlNode.join(path, key);
                YamlNode.Scalar keyScalar = (YamlNode.Scalar) read(keyNode, childPath, file, problems);
                if (keys.containsKey(key)) {
                    problems.add(keyScalar.problem("appears twice"));
                    continue;
                }
                keys.put(key, keyScalar);
                entries.put(key, read(tuple.getValueNode(), childPath, file, problems));
            }
            return new YamlNode.Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keys), file, line, column, path);
        }
        if (node instanceof SequenceNode seq) {
            List<YamlNode> items = new ArrayList<>(seq.getValue().size());
            for (Node item : seq.getValue()) {
                items.add(read(item, path + "[" + items.size() + "]", file, problems));
            }
            return new YamlNode.Sequence(List.copyOf(items), file, line, column, path);
        }
        ScalarNode scalar = (ScalarNode) node;
        return new YamlNode.Scalar(scalar.getTag().equals(Tag.NULL) ? null : scalar.getValue(), file, line, column, path);
    }
}
