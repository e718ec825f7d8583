package io.chokepoint.rules.model;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rule documents (YAML, or JSON, which is YAML) and validates every field, collecting all
 * problems with file, line, column and field path. Works on SnakeYAML's node tree rather than
 * on bound objects because only the nodes still know where they stood in the file.
 *
 * <p>Accepted shapes: a mapping with a {@code rules:} list (rule files), a single rule mapping
 * (values of the {@code alert-rules} topic), or a bare list of rules.
 */
public final class RuleParser {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,6}");
    private static final Pattern EVALUATIONS = Pattern.compile("(\\d+)\\s*(evaluations?|evals?|x)");
    /** Labels every alert carries; a rule may not redefine them. */
    public static final Set<String> RESERVED_LABELS = Set.of("alertname", "hs_code", "commodity", "commodity_group", "severity");
    private static final List<String> RULE_FIELDS = List.of("id", "description", "select", "metric", "comparison", "fire",
            "resolve", "for", "keep_firing_for", "severity", "labels", "annotations", "enabled", "quiet_after", "min_count", "min",
            "evaluate");
    private static final List<String> SELECT_FIELDS = List.of("hs_codes", "hs_prefixes", "groups");

    private final CommodityCatalogue catalogue;

    public RuleParser(CommodityCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public RuleParser() {
        this(CommodityCatalogue.defaultCatalogue());
    }

    /** All rules of the document, or a {@link RuleFileException} listing every problem. */
    public List<Rule> parse(String text, String file) {
        Problems problems = new Problems(file);
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            int column = mark == null ? 0 : mark.getColumn() + 1;
            throw new RuleFileException(List.of(new RuleProblem(file, line, column, "", "not valid YAML: " + e.getProblem())));
        } catch (YAMLException e) {
            throw new RuleFileException(List.of(new RuleProblem(file, 0, 0, "", "not valid YAML: " + e.getMessage())));
        }
        if (root == null) {
            throw new RuleFileException(List.of(new RuleProblem(file, 0, 0, "", "is empty; expected 'rules:' with a list of rules")));
        }
        List<Rule> rules = new ArrayList<>();
        List<Node> ruleNodes = new ArrayList<>();
        String listPath = "rules";
        if (root instanceof MappingNode map) {
            Map<String, NodeTuple> fields = fields(map, "", problems);
            if (fields.containsKey("rules")) {
                for (String key : fields.keySet()) {
                    if (!key.equals("rules")) {
                        problems.add(fields.get(key).getKeyNode(), key, "unknown top-level field (a rule file has only 'rules:')");
                    }
                }
                Node list = fields.get("rules").getValueNode();
                if (list instanceof SequenceNode seq) {
                    ruleNodes.addAll(seq.getValue());
                } else {
                    problems.add(list, "rules", "must be a list of rules");
                }
            } else {
                ruleNodes.add(root);
                listPath = null;
            }
        } else if (root instanceof SequenceNode seq) {
            ruleNodes.addAll(seq.getValue());
        } else {
            problems.add(root, "", "expected 'rules:' with a list of rules");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < ruleNodes.size(); i++) {
            String path = listPath == null ? "" : listPath + "[" + i + "]";
            Rule rule = rule(ruleNodes.get(i), path, problems);
            if (rule != null) {
                if (!ids.add(rule.id())) {
                    problems.add(ruleNodes.get(i), path + ".id", "duplicate rule id '" + rule.id() + "' in this file");
                } else {
                    rules.add(rule);
                }
            }
        }
        problems.throwIfAny();
        return rules;
    }

    /** Parses a document that must hold exactly one rule (a value of the alert-rules topic). */
    public Rule parseOne(String text, String origin) {
        List<Rule> rules = parse(text, origin);
        if (rules.size() != 1) {
            throw new RuleFileException(List.of(new RuleProblem(origin, 0, 0, "", "expected exactly one rule, found " + rules.size())));
        }
        return rules.get(0);
    }

    private Rule rule(Node node, String path, Problems problems) {
        if (!(node instanceof MappingNode map)) {
            problems.add(node, path, "a rule must be a mapping with id, metric, comparison, fire …");
            return null;
        }
        int before = problems.size();
        Map<String, NodeTuple> fields = fields(map, path, problems);
        problems.lastMapping = map; // missing required fields are reported at the rule's first line
        String id = scalar(fields, "id", path, problems, true);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(valueNode(fields, "id"), join(path, "id"), "'" + id + "' is not a valid rule id (lower-case letters, digits, '.', '_', '-'; at most 100)");
        }
        String rulePath = id == null ? path : (path.isEmpty() ? id : path + "(" + id + ")");
        for (Map.Entry<String, NodeTuple> f : fields.entrySet()) {
            if (!RULE_FIELDS.contains(f.getKey())) {
                problems.add(f.getValue().getKeyNode(), join(rulePath, f.getKey()), "unknown field (known: " + String.join(", ", RULE_FIELDS) + ")");
            }
        }
        String description = Optional.ofNullable(scalar(fields, "description", rulePath, problems, false)).orElse("");
        CommoditySelector selector = selector(fields.get("select"), rulePath, problems);
        problems.lastMapping = map;

        Metric metric = null;
        String metricName = scalar(fields, "metric", rulePath, problems, true);
        if (metricName != null) {
            metric = Metric.named(metricName).orElse(null);
            if (metric == null) {
                problems.add(valueNode(fields, "metric"), join(rulePath, "metric"), "unknown metric '" + metricName
                        + "' (numeric stats fields: " + String.join(", ", Metric.names()) + ")");
            }
        }
        Comparison comparison = null;
        String op = scalar(fields, "comparison", rulePath, problems, true);
        if (op != null) {
            comparison = Comparison.fromSymbol(op).orElse(null);
            if (comparison == null) {
                problems.add(valueNode(fields, "comparison"), join(rulePath, "comparison"), "'" + op + "' is not one of >, >=, <, <=");
            }
        }
        Double fire = number(fields, "fire", rulePath, problems, true);
        Double resolve = number(fields, "resolve", rulePath, problems, false);
        if (fire != null && resolve != null && comparison != null && !comparison.isValidResolve(fire, resolve)) {
            problems.add(valueNode(fields, "resolve"), join(rulePath, "resolve"), "resolve threshold " + plain(resolve)
                    + " must be " + (comparison.alertsOnHigh() ? "at most" : "at least") + " the fire threshold " + plain(fire)
                    + " for comparison '" + comparison.symbol() + "' (hysteresis: resolve on the non-alerting side)");
        }
        Hold forHold = hold(fields, "for", rulePath, problems);
        Hold keep = hold(fields, "keep_firing_for", rulePath, problems);
        Severity severity = Severity.WARNING;
        String sev = scalar(fields, "severity", rulePath, problems, false);
        if (sev != null) {
            String upper = sev.strip().toUpperCase(Locale.ROOT);
            if (List.of("INFO", "WARNING", "CRITICAL").contains(upper)) {
                severity = Severity.valueOf(upper);
            } else {
                problems.add(valueNode(fields, "severity"), join(rulePath, "severity"), "'" + sev + "' is not one of INFO, WARNING, CRITICAL");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, AnnotationTemplate> annotations = new LinkedHashMap<>();
        stringMap(fields.get("labels"), join(rulePath, "labels"), problems).forEach((k, v) -> {
            if (!LABEL.matcher(k.value()).matches()) {
                problems.add(k.node(), join(rulePath, "labels." + k.value()), "label names are letters, digits and '_', not starting with a digit");
            } else if (RESERVED_LABELS.contains(k.value())) {
                problems.add(k.node(), join(rulePath, "labels." + k.value()), "'" + k.value() + "' is set by Chokepoint on every alert; choose another name");
            } else {
                labels.put(k.value(), v.value());
            }
        });
        stringMap(fields.get("annotations"), join(rulePath, "annotations"), problems).forEach((k, v) -> {
            try {
                annotations.put(k.value(), AnnotationTemplate.parse(v.value()));
            } catch (IllegalArgumentException e) {
                problems.add(v.node(), join(rulePath, "annotations." + k.value()), e.getMessage());
            }
        });
        boolean enabled = true;
        String enabledText = scalar(fields, "enabled", rulePath, problems, false);
        if (enabledText != null) {
            switch (enabledText.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> enabled = true;
                case "false", "no", "off" -> enabled = false;
                default -> problems.add(valueNode(fields, "enabled"), join(rulePath, "enabled"), "must be true or false, got '" + enabledText + "'");
            }
        }
        Optional<Duration> quietAfter = Optional.empty();
        String quiet = scalar(fields, "quiet_after", rulePath, problems, false);
        if (quiet != null) {
            Duration d = duration(quiet, valueNode(fields, "quiet_after"), join(rulePath, "quiet_after"), problems);
            if (d != null && (d.isZero() || d.isNegative())) {
                problems.add(valueNode(fields, "quiet_after"), join(rulePath, "quiet_after"), "must be a positive duration");
            } else {
                quietAfter = Optional.ofNullable(d);
            }
        }
        long minCount = 0;
        Double min = number(fields, "min_count", rulePath, problems, false);
        if (min != null) {
            if (min < 0 || min != Math.rint(min)) {
                problems.add(valueNode(fields, "min_count"), join(rulePath, "min_count"), "must be a whole number >= 0");
            } else {
                minCount = min.longValue();
            }
        }
        Map<String, Double> minimums = new LinkedHashMap<>();
        NodeTuple minTuple = fields.get("min");
        if (minTuple != null) {
            String minPath = join(rulePath, "min");
            if (minTuple.getValueNode() instanceof MappingNode minMap) {
                fields(minMap, minPath, problems).forEach((field, t) -> {
                    if (Metric.named(field).isEmpty()) {
                        problems.add(t.getKeyNode(), join(minPath, field), "not a numeric stats field (known: " + String.join(", ", Metric.names()) + ")");
                    } else if (t.getValueNode() instanceof ScalarNode sn && !sn.getTag().equals(Tag.NULL)) {
                        try {
                            minimums.put(field, Double.parseDouble(sn.getValue().strip()));
                        } catch (NumberFormatException e) {
                            problems.add(sn, join(minPath, field), "must be a number, got '" + sn.getValue() + "'");
                        }
                    } else {
                        problems.add(t.getValueNode(), join(minPath, field), "must be a number");
                    }
                });
            } else {
                problems.add(minTuple.getValueNode(), minPath, "must be a mapping of stats fields to minimums, e.g. {licencesDecided: 3}");
            }
        }
        Rule.Evaluate evaluate = Rule.Evaluate.LIVE;
        String evaluateText = scalar(fields, "evaluate", rulePath, problems, false);
        if (evaluateText != null) {
            switch (evaluateText.strip().toLowerCase(Locale.ROOT)) {
                case "live" -> evaluate = Rule.Evaluate.LIVE;
                case "final" -> evaluate = Rule.Evaluate.FINAL;
                default -> problems.add(valueNode(fields, "evaluate"), join(rulePath, "evaluate"),
                        "must be live (the live view, the default) or final (closed windows only), got '" + evaluateText + "'");
            }
        }
        if (problems.size() > before || id == null || metric == null || comparison == null || fire == null) {
            return null;
        }
        return new Rule(id, description, selector, metric, comparison, fire, resolve == null ? fire : resolve,
                forHold, keep, severity, labels, annotations, enabled, quietAfter, minCount, minimums, evaluate,
                problems.file + ":" + (map.getStartMark().getLine() + 1));
    }

    private CommoditySelector selector(NodeTuple tuple, String rulePath, Problems problems) {
        if (tuple == null) {
            return CommoditySelector.ALL;
        }
        String path = join(rulePath, "select");
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            problems.add(tuple.getValueNode(), path, "must be a mapping with hs_codes, hs_prefixes and/or groups");
            return CommoditySelector.ALL;
        }
        Map<String, NodeTuple> fields = fields(map, path, problems);
        fields.forEach((k, v) -> {
            if (!SELECT_FIELDS.contains(k)) {
                problems.add(v.getKeyNode(), join(path, k), "unknown field (known: " + String.join(", ", SELECT_FIELDS) + ")");
            }
        });
        Set<String> codes = new LinkedHashSet<>();
        for (Located item : stringList(fields.get("hs_codes"), join(path, "hs_codes"), problems)) {
            HsCode.normalise(item.value()).ifPresentOrElse(codes::add, () ->
                    problems.add(item.node(), join(path, "hs_codes"), "'" + item.value() + "' is not a 6-digit HS code (e.g. 850511 or 8505.11)"));
        }
        List<String> prefixes = new ArrayList<>();
        for (Located item : stringList(fields.get("hs_prefixes"), join(path, "hs_prefixes"), problems)) {
            String p = item.value().strip().replace(".", "");
            if (PREFIX.matcher(p).matches()) {
                prefixes.add(p);
            } else {
                problems.add(item.node(), join(path, "hs_prefixes"), "'" + item.value() + "' is not an HS prefix (1 to 6 digits, e.g. 2846)");
            }
        }
        Set<String> known = new TreeSet<>();
        catalogue.all().stream().map(Commodity::group).forEach(known::add);
        Set<String> groups = new LinkedHashSet<>();
        for (Located item : stringList(fields.get("groups"), join(path, "groups"), problems)) {
            if (known.contains(item.value())) {
                groups.add(item.value());
            } else {
                problems.add(item.node(), join(path, "groups"), "unknown commodity group '" + item.value() + "' (known: " + String.join(", ", known) + ")");
            }
        }
        if (fields.isEmpty()) {
            problems.add(map, path, "is empty; omit 'select' to match every commodity");
        }
        return new CommoditySelector(codes, prefixes, groups);
    }

    private Hold hold(Map<String, NodeTuple> fields, String key, String rulePath, Problems problems) {
        String text = scalar(fields, key, rulePath, problems, false);
        if (text == null) {
            return Hold.NONE;
        }
        Node node = valueNode(fields, key);
        String path = join(rulePath, key);
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = EVALUATIONS.matcher(t);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            if (n < 1) {
                problems.add(node, path, "needs at least 1 evaluation, got " + n);
                return Hold.NONE;
            }
            return Hold.ofEvaluations(n);
        }
        if (t.matches("\\d+")) {
            problems.add(node, path, "'" + text + "' needs a unit: a duration such as 6h or 30m, or a count such as '3 evaluations'");
            return Hold.NONE;
        }
        Duration d = duration(text, node, path, problems);
        if (d == null) {
            return Hold.NONE;
        }
        if (d.isNegative()) {
            problems.add(node, path, "must not be negative");
            return Hold.NONE;
        }
        return Hold.ofDuration(d);
    }

    private static Duration duration(String text, Node node, String path, Problems problems) {
        try {
            return ChokepointConfig.parseDuration(path, text);
        } catch (ChokepointConfig.ConfigProblem e) {
            problems.add(node, path, "'" + text + "' is not a duration (e.g. 30m, 6h, 2d, PT1H) or a count such as '3 evaluations'");
            return null;
        }
    }

    private static Double number(Map<String, NodeTuple> fields, String key, String rulePath, Problems problems, boolean required) {
        String text = scalar(fields, key, rulePath, problems, required);
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(valueNode(fields, key), join(rulePath, key), "must be a number, got '" + text + "'");
            return null;
        }
    }

    private static String scalar(Map<String, NodeTuple> fields, String key, String rulePath, Problems problems, boolean required) {
        NodeTuple tuple = fields.get(key);
        if (tuple == null) {
            if (required) {
                problems.addMissing(join(rulePath, key), "is required");
            }
            return null;
        }
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            return s.getValue();
        }
        problems.add(value, join(rulePath, key), value instanceof ScalarNode ? "must not be empty" : "must be a single value");
        return null;
    }

    private static Node valueNode(Map<String, NodeTuple> fields, String key) {
        return fields.get(key).getValueNode();
    }

    private record Located(String value, Node node) {
    }

    private static List<Located> stringList(NodeTuple tuple, String path, Problems problems) {
        if (tuple == null) {
            return List.of();
        }
        Node node = tuple.getValueNode();
        List<Node> items = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            items.addAll(seq.getValue());
        } else if (node instanceof ScalarNode) {
            items.add(node);
        } else {
            problems.add(node, path, "must be a list");
        }
        List<Located> out = new ArrayList<>();
        for (Node item : items) {
            if (item instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
                out.add(new Located(s.getValue(), s));
            } else {
                problems.add(item, path, "list items must be single values");
            }
        }
        return out;
    }

    private static Map<Located, Located> stringMap(NodeTuple tuple, String path, Problems problems) {
        Map<Located, Located> out = new LinkedHashMap<>();
        if (tuple == null) {
            return out;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            problems.add(tuple.getValueNode(), path, "must be a mapping of names to texts");
            return out;
        }
        fields(map, path, problems).forEach((k, v) -> {
            if (v.getValueNode() instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
                out.put(new Located(k, v.getKeyNode()), new Located(s.getValue(), s));
            } else {
                problems.add(v.getValueNode(), join(path, k), "must be a text");
            }
        });
        return out;
    }

    private static Map<String, NodeTuple> fields(MappingNode map, String path, Problems problems) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(tuple.getKeyNode(), path, "field names must be plain words");
                continue;
            }
            if (out.putIfAbsent(key.getValue(), tuple) != null) {
                problems.add(key, join(path, key.getValue()), "appears twice");
            }
        }
        return out;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Collects problems; a missing field is reported at the mapping that should have held it. */
    private static final class Problems {
        private final String file;
        private final List<RuleProblem> list = new ArrayList<>();
        private MappingNode lastMapping;

        Problems(String file) {
            this.file = file;
        }

        void add(Node node, String field, String message) {
            Mark mark = node.getStartMark();
            list.add(new RuleProblem(file, mark.getLine() + 1, mark.getColumn() + 1, field, message));
        }

        void addMissing(String field, String message) {
            if (lastMapping != null) {
                add(lastMapping, field, message);
            } else {
                list.add(new RuleProblem(file, 0, 0, field, message));
            }
        }

        int size() {
            return list.size();
        }

        void throwIfAny() {
            if (!list.isEmpty()) {
                throw new RuleFileException(list);
            }
        }
    }
}
