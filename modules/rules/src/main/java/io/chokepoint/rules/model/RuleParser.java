package io.chokepoint.rules.model;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.yaml.InvalidYamlException;
import io.chokepoint.events.yaml.YamlNode;
import io.chokepoint.events.yaml.YamlNode.Mapping;
import io.chokepoint.events.yaml.YamlNode.Scalar;
import io.chokepoint.events.yaml.YamlNode.Sequence;
import io.chokepoint.events.yaml.YamlProblem;
import io.chokepoint.events.yaml.YamlTree;

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
 * problems with file, line, column and field path. Works on the located {@link YamlTree} rather
 * than on bound objects because only the nodes still know where they stood in the file.
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
            "evaluate", "kind", "change");
    private static final List<String> CHANGE_FIELDS = List.of("direction", "sample", "baseline", "warm_up", "min_spread", "sensitivity");
    /** A change rule's baseline is held in its state: bounded so a typo cannot make it huge. */
    private static final int MAX_BASELINE_OBSERVATIONS = 10_000;
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
        YamlNode root;
        try {
            root = YamlTree.parse(text, file, problems.list).orElse(null);
        } catch (InvalidYamlException e) {
            throw new RuleFileException(e.problems());
        }
        if (root == null) {
            throw new RuleFileException(List.of(YamlProblem.ofFile(file, "is empty; expected 'rules:' with a list of rules")));
        }
        List<Rule> rules = new ArrayList<>();
        List<YamlNode> ruleNodes = new ArrayList<>();
        String listPath = "rules";
        if (root instanceof Mapping map) {
            if (map.entries().containsKey("rules")) {
                for (String key : map.keys().keySet()) {
                    if (!key.equals("rules")) {
                        problems.add(map.keys().get(key), key, "unknown top-level field (a rule file has only 'rules:')");
                    }
                }
                YamlNode list = map.entries().get("rules");
                if (list instanceof Sequence seq) {
                    ruleNodes.addAll(seq.items());
                } else {
                    problems.add(list, "rules", "must be a list of rules");
                }
            } else {
                ruleNodes.add(root);
                listPath = null;
            }
        } else if (root instanceof Sequence seq) {
            ruleNodes.addAll(seq.items());
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
            throw new RuleFileException(List.of(YamlProblem.ofFile(origin, "expected exactly one rule, found " + rules.size())));
        }
        return rules.get(0);
    }

    private Rule rule(YamlNode node, String path, Problems problems) {
        if (!(node instanceof Mapping map)) {
            problems.add(node, path, "a rule must be a mapping with id, metric, comparison, fire …");
            return null;
        }
        int before = problems.size();
        Map<String, YamlNode> fields = map.entries();
        problems.lastMapping = map; // missing required fields are reported at the rule's first line
        String id = scalar(fields, "id", path, problems, true);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(valueNode(fields, "id"), join(path, "id"), "'" + id + "' is not a valid rule id (lower-case letters, digits, '.', '_', '-'; at most 100)");
        }
        String rulePath = id == null ? path : (path.isEmpty() ? id : path + "(" + id + ")");
        problems.list.addAll(map.unknownFields(RULE_FIELDS, rulePath));
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
        boolean change = false;
        String kind = scalar(fields, "kind", rulePath, problems, false);
        if (kind != null) {
            switch (kind.strip().toLowerCase(Locale.ROOT)) {
                case "threshold" -> change = false;
                case "change" -> change = true;
                default -> problems.add(valueNode(fields, "kind"), join(rulePath, "kind"),
                        "must be threshold (fixed fire and resolve values, the default) or change (a shift against the commodity's own baseline), got '"
                                + kind + "'");
            }
        }
        Comparison comparison = null;
        Double fire = null;
        Double resolve = null;
        Optional<ChangeDetection> detection = Optional.empty();
        if (change) {
            for (String threshold : List.of("comparison", "fire", "resolve")) {
                if (fields.containsKey(threshold)) {
                    problems.add(map.keys().get(threshold), join(rulePath, threshold), "a change rule has no fixed thresholds: it fires when its"
                            + " detector finds a shift against the commodity's baseline (tune change.sensitivity instead)");
                }
            }
            detection = changeDetection(fields.get("change"), join(rulePath, "change"), problems);
            problems.lastMapping = map;
            comparison = Comparison.GREATER_OR_EQUAL;
            fire = ChangeDetection.FIRE_SCORE;
            resolve = ChangeDetection.RESOLVE_SCORE;
        } else {
            if (fields.containsKey("change")) {
                problems.add(map.keys().get("change"), join(rulePath, "change"), "only a rule with 'kind: change' has change settings");
            }
            String op = scalar(fields, "comparison", rulePath, problems, true);
            if (op != null) {
                comparison = Comparison.fromSymbol(op).orElse(null);
                if (comparison == null) {
                    problems.add(valueNode(fields, "comparison"), join(rulePath, "comparison"), "'" + op + "' is not one of >, >=, <, <=");
                }
            }
            fire = number(fields, "fire", rulePath, problems, true);
            resolve = number(fields, "resolve", rulePath, problems, false);
            if (fire != null && resolve != null && comparison != null && !comparison.isValidResolve(fire, resolve)) {
                problems.add(valueNode(fields, "resolve"), join(rulePath, "resolve"), "resolve threshold " + plain(resolve)
                        + " must be " + (comparison.alertsOnHigh() ? "at most" : "at least") + " the fire threshold " + plain(fire)
                        + " for comparison '" + comparison.symbol() + "' (hysteresis: resolve on the non-alerting side)");
            }
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
        YamlNode minNode = fields.get("min");
        if (minNode != null) {
            String minPath = join(rulePath, "min");
            if (minNode instanceof Mapping minMap) {
                minMap.entries().forEach((field, value) -> {
                    if (Metric.named(field).isEmpty()) {
                        problems.add(minMap.keys().get(field), join(minPath, field), "not a numeric stats field (known: " + String.join(", ", Metric.names()) + ")");
                    } else if (value instanceof Scalar sn && !sn.isNull()) {
                        try {
                            minimums.put(field, Double.parseDouble(sn.value().strip()));
                        } catch (NumberFormatException e) {
                            problems.add(sn, join(minPath, field), "must be a number, got '" + sn.value() + "'");
                        }
                    } else {
                        problems.add(value, join(minPath, field), "must be a number");
                    }
                });
            } else {
                problems.add(minNode, minPath, "must be a mapping of stats fields to minimums, e.g. {licencesDecided: 3}");
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
                forHold, keep, severity, labels, annotations, enabled, quietAfter, minCount, minimums, evaluate, detection,
                problems.file + ":" + map.line());
    }

    /** The {@code change:} block of a change rule; {@code min_spread} is required, the rest has defaults. */
    private Optional<ChangeDetection> changeDetection(YamlNode node, String path, Problems problems) {
        if (node == null) {
            problems.addMissing(path, "is required for a change rule, at least {min_spread: N}: the smallest spread of the metric,"
                    + " in its unit, that is more than noise (e.g. 4 for hours of delay)");
            return Optional.empty();
        }
        if (!(node instanceof Mapping map)) {
            problems.add(node, path, "must be a mapping with min_spread and optionally direction, sample, baseline, warm_up, sensitivity");
            return Optional.empty();
        }
        int before = problems.size();
        problems.list.addAll(map.unknownFields(CHANGE_FIELDS, path));
        problems.lastMapping = map;
        Map<String, YamlNode> fields = map.entries();
        ChangeDetection.Direction direction = ChangeDetection.DEFAULT_DIRECTION;
        String directionText = scalar(fields, "direction", path, problems, false);
        if (directionText != null) {
            direction = ChangeDetection.Direction.named(directionText).orElse(null);
            if (direction == null) {
                problems.add(valueNode(fields, "direction"), join(path, "direction"), "must be up, down or both, got '" + directionText + "'");
            }
        }
        ChangeDetection.Sensitivity sensitivity = ChangeDetection.DEFAULT_SENSITIVITY;
        String sensitivityText = scalar(fields, "sensitivity", path, problems, false);
        if (sensitivityText != null) {
            sensitivity = ChangeDetection.Sensitivity.named(sensitivityText).orElse(null);
            if (sensitivity == null) {
                problems.add(valueNode(fields, "sensitivity"), join(path, "sensitivity"), "must be low, medium or high, got '" + sensitivityText + "'");
            }
        }
        Duration sample = positiveDuration(fields, "sample", path, problems, ChangeDetection.DEFAULT_SAMPLE);
        Duration baseline = positiveDuration(fields, "baseline", path, problems, ChangeDetection.DEFAULT_BASELINE);
        Duration warmUp = positiveDuration(fields, "warm_up", path, problems, ChangeDetection.DEFAULT_WARM_UP);
        Double minSpread = number(fields, "min_spread", path, problems, false);
        if (!fields.containsKey("min_spread")) {
            problems.addMissing(join(path, "min_spread"), "is required: the smallest spread of the metric, in its unit, that is more"
                    + " than noise (e.g. 4 for hours of delay, 0.1 for an approval rate)");
        }
        if (minSpread != null && minSpread <= 0) {
            problems.add(valueNode(fields, "min_spread"), join(path, "min_spread"), "must be greater than 0 (the smallest spread, in the metric's unit)");
        }
        if (sample != null && baseline != null && baseline.compareTo(sample) < 0) {
            problems.add(valueNode(fields, "baseline"), join(path, "baseline"), "must hold at least one sample (" + Durations.format(sample) + ")");
        } else if (sample != null && baseline != null && baseline.toMillis() / sample.toMillis() > MAX_BASELINE_OBSERVATIONS) {
            problems.add(valueNode(fields, "baseline"), join(path, "baseline"), "holds " + baseline.toMillis() / sample.toMillis()
                    + " samples of " + Durations.format(sample) + "; at most " + MAX_BASELINE_OBSERVATIONS + " (choose a longer sample)");
        }
        if (warmUp != null && baseline != null && warmUp.compareTo(baseline) > 0) {
            problems.add(valueNode(fields, "warm_up"), join(path, "warm_up"), "must not exceed the baseline (" + Durations.format(baseline)
                    + "): the baseline never holds more history than that");
        }
        if (problems.size() > before || direction == null || sensitivity == null || minSpread == null) {
            return Optional.empty();
        }
        return Optional.of(new ChangeDetection(direction, sample, baseline, warmUp, minSpread, sensitivity));
    }

    private static Duration positiveDuration(Map<String, YamlNode> fields, String key, String path, Problems problems, Duration fallback) {
        String text = scalar(fields, key, path, problems, false);
        if (text == null) {
            return fallback;
        }
        Duration d;
        try {
            d = ChokepointConfig.parseDuration(join(path, key), text);
        } catch (ChokepointConfig.ConfigProblem e) {
            problems.add(valueNode(fields, key), join(path, key), "'" + text + "' is not a duration (e.g. 1h, 14d, PT1H)");
            return null;
        }
        if (d.isZero() || d.isNegative()) {
            problems.add(valueNode(fields, key), join(path, key), "must be a positive duration");
            return null;
        }
        return d;
    }

    private CommoditySelector selector(YamlNode node, String rulePath, Problems problems) {
        if (node == null) {
            return CommoditySelector.ALL;
        }
        String path = join(rulePath, "select");
        if (!(node instanceof Mapping map)) {
            problems.add(node, path, "must be a mapping with hs_codes, hs_prefixes and/or groups");
            return CommoditySelector.ALL;
        }
        Map<String, YamlNode> fields = map.entries();
        problems.list.addAll(map.unknownFields(SELECT_FIELDS));
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

    private Hold hold(Map<String, YamlNode> fields, String key, String rulePath, Problems problems) {
        String text = scalar(fields, key, rulePath, problems, false);
        if (text == null) {
            return Hold.NONE;
        }
        YamlNode node = fields.get(key);
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

    private static Duration duration(String text, YamlNode node, String path, Problems problems) {
        try {
            return ChokepointConfig.parseDuration(path, text);
        } catch (ChokepointConfig.ConfigProblem e) {
            problems.add(node, path, "'" + text + "' is not a duration (e.g. 30m, 6h, 2d, PT1H) or a count such as '3 evaluations'");
            return null;
        }
    }

    private static Double number(Map<String, YamlNode> fields, String key, String rulePath, Problems problems, boolean required) {
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

    private static String scalar(Map<String, YamlNode> fields, String key, String rulePath, Problems problems, boolean required) {
        YamlNode value = fields.get(key);
        if (value == null) {
            if (required) {
                problems.addMissing(join(rulePath, key), "is required");
            }
            return null;
        }
        if (value instanceof Scalar s && !s.isNull()) {
            return s.value();
        }
        problems.add(value, join(rulePath, key), value instanceof Scalar ? "must not be empty" : "must be a single value");
        return null;
    }

    private static YamlNode valueNode(Map<String, YamlNode> fields, String key) {
        return fields.get(key);
    }

    private record Located(String value, YamlNode node) {
    }

    private static List<Located> stringList(YamlNode node, String path, Problems problems) {
        if (node == null) {
            return List.of();
        }
        List<YamlNode> items = new ArrayList<>();
        if (node instanceof Sequence seq) {
            items.addAll(seq.items());
        } else if (node instanceof Scalar) {
            items.add(node);
        } else {
            problems.add(node, path, "must be a list");
        }
        List<Located> out = new ArrayList<>();
        for (YamlNode item : items) {
            if (item instanceof Scalar s && !s.isNull()) {
                out.add(new Located(s.value(), s));
            } else {
                problems.add(item, path, "list items must be single values");
            }
        }
        return out;
    }

    private static Map<Located, Located> stringMap(YamlNode node, String path, Problems problems) {
        Map<Located, Located> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof Mapping map)) {
            problems.add(node, path, "must be a mapping of names to texts");
            return out;
        }
        map.entries().forEach((k, v) -> {
            if (v instanceof Scalar s && !s.isNull()) {
                out.put(new Located(k, map.keys().get(k)), new Located(s.value(), s));
            } else {
                problems.add(v, join(path, k), "must be a text");
            }
        });
        return out;
    }

    private static String join(String path, String key) {
        return YamlNode.join(path, key);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Collects problems; a missing field is reported at the mapping that should have held it. */
    private static final class Problems {
        private final String file;
        private final List<YamlProblem> list = new ArrayList<>();
        private Mapping lastMapping;

        Problems(String file) {
            this.file = file;
        }

        void add(YamlNode node, String field, String message) {
            list.add(node.problem(field, message));
        }

        void addMissing(String field, String message) {
            if (lastMapping != null) {
                add(lastMapping, field, message);
            } else {
                list.add(new YamlProblem(file, 0, 0, field, message));
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
