package io.chokepoint.rules.testing;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.yaml.InvalidYamlException;
import io.chokepoint.events.yaml.YamlNode;
import io.chokepoint.events.yaml.YamlNode.Mapping;
import io.chokepoint.events.yaml.YamlProblem;
import io.chokepoint.events.yaml.YamlTree;
import io.chokepoint.rules.model.Metric;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code chokepoint rules test} file, in the spirit of {@code promtool test rules}: rule files,
 * then test cases of input stats series (compact notation, one value per evaluation step) and
 * the alerts expected at given evaluation times. Format: README.md, "Alert rules", rules test.
 */
public record RuleTestFile(Path file, List<String> ruleFiles, Instant start, Duration interval, Duration window, List<TestCase> tests) {

    /** Name of the shipped default rules in {@code rule_files}. */
    public static final String DEFAULT_RULES = "default";
    /** Step 0 when the file gives no {@code start}; Kafka record times cannot be negative, so not 1970. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    public record TestCase(String name, List<InputSeries> input, List<AlertCheck> alertChecks, Optional<List<ExpectedNotification>> notifications) {
    }

    /** The stats of one commodity: series per field (values per step) and constant fields. */
    public record InputSeries(String hsCode, Map<String, List<Double>> series, Map<String, Object> constants) {
    }

    public record AlertCheck(Duration evalTime, Optional<String> rule, List<ExpectedAlert> expected, String where) {
    }

    public record ExpectedAlert(Optional<String> rule, String hsCode, Map<String, String> labels, Map<String, String> annotations) {
    }

    public record ExpectedNotification(Duration at, String rule, String hsCode, String state) {
    }

    private static final List<String> TOP = List.of("rule_files", "start", "interval", "window", "tests");
    private static final List<String> TEST = List.of("name", "input", "alert_rule_test", "exp_notifications");
    private static final List<String> INPUT = List.of("commodity", "values", "fields");
    private static final List<String> CHECK = List.of("eval_time", "rule", "alertname", "exp_alerts");
    private static final List<String> ALERT = List.of("rule", "commodity", "labels", "annotations", "exp_labels", "exp_annotations");
    private static final List<String> NOTE = List.of("at", "rule", "commodity", "state");

    /** The test file, or an {@link InvalidYamlException} naming file, line, column and field of the first problem. */
    public static RuleTestFile parse(String text, Path file) {
        List<YamlProblem> structure = new ArrayList<>();
        Mapping top = fields(YamlTree.parse(text, file.toString(), structure)
                .orElseThrow(() -> new InvalidYamlException(YamlProblem.ofFile(file.toString(), "is empty"))), TOP);
        if (!structure.isEmpty()) {
            throw new InvalidYamlException(structure);
        }
        List<String> ruleFiles = new ArrayList<>();
        for (YamlNode n : top.required("rule_files").items()) {
            ruleFiles.add(n.text());
        }
        if (ruleFiles.isEmpty()) {
            throw top.required("rule_files").error("names no rule file (use 'default' for the shipped rules)");
        }
        Instant start = top.get("start").map(RuleTestFile::instant).orElse(DEFAULT_START);
        Duration interval = top.get("interval").map(RuleTestFile::duration).orElse(Duration.ofHours(1));
        Duration window = top.get("window").map(RuleTestFile::duration).orElse(Duration.ofHours(24));
        if (interval.isZero() || interval.isNegative()) {
            throw top.required("interval").error("must be a positive duration");
        }
        List<TestCase> tests = new ArrayList<>();
        for (YamlNode t : top.required("tests").items()) {
            tests.add(testCase(t, tests.size()));
        }
        return new RuleTestFile(file, ruleFiles, start, interval, window, tests);
    }

    /** The node as a mapping holding only {@code known} fields. */
    private static Mapping fields(YamlNode node, List<String> known) {
        Mapping m = node.asMapping();
        List<YamlProblem> unknown = m.unknownFields(known);
        if (!unknown.isEmpty()) {
            throw new InvalidYamlException(unknown.get(0));
        }
        return m;
    }

    private static TestCase testCase(YamlNode node, int index) {
        Mapping f = fields(node, TEST);
        String name = f.get("name").map(YamlNode::text).orElse("test " + (index + 1));
        List<InputSeries> input = new ArrayList<>();
        for (YamlNode in : f.required("input").items()) {
            Mapping i = fields(in, INPUT);
            String hs = hsCode(i.required("commodity"));
            Map<String, List<Double>> series = new LinkedHashMap<>();
            i.get("values").ifPresent(v -> v.asMapping().entries().forEach((field, notation) -> {
                if (Metric.named(field).isEmpty()) {
                    throw notation.error("not a numeric stats field (known: " + String.join(", ", Metric.names()) + ")");
                }
                try {
                    series.put(field, SeriesNotation.expand(notation.text()));
                } catch (IllegalArgumentException e) {
                    throw notation.error(e.getMessage());
                }
            }));
            Map<String, Object> constants = new LinkedHashMap<>();
            i.get("fields").ifPresent(v -> v.asMapping().entries().forEach((field, value) -> constants.put(field, constant(field, value))));
            if (series.isEmpty()) {
                throw in.error("needs 'values' with at least one series");
            }
            input.add(new InputSeries(hs, series, constants));
        }
        List<AlertCheck> checks = new ArrayList<>();
        for (YamlNode c : f.get("alert_rule_test").map(YamlNode::items).orElse(List.of())) {
            Mapping cf = fields(c, CHECK);
            Duration at = duration(cf.required("eval_time"));
            // promtool's spellings (alertname, exp_labels, exp_annotations) are accepted too
            Optional<String> rule = cf.get("rule").or(() -> cf.get("alertname")).map(YamlNode::text);
            List<ExpectedAlert> expected = new ArrayList<>();
            for (YamlNode a : cf.get("exp_alerts").map(YamlNode::items).orElse(List.of())) {
                Mapping af = fields(a, ALERT);
                Optional<String> alertRule = af.get("rule").map(YamlNode::text).or(() -> rule);
                if (alertRule.isEmpty()) {
                    throw a.error("'rule' is required here or on the alert_rule_test");
                }
                expected.add(new ExpectedAlert(alertRule, hsCode(af.required("commodity")),
                        af.get("labels").or(() -> af.get("exp_labels")).map(n -> n.asMapping().texts()).orElse(Map.of()),
                        af.get("annotations").or(() -> af.get("exp_annotations")).map(n -> n.asMapping().texts()).orElse(Map.of())));
            }
            checks.add(new AlertCheck(at, rule, expected, c.path()));
        }
        Optional<List<ExpectedNotification>> notes = f.get("exp_notifications").map(n -> {
            List<ExpectedNotification> out = new ArrayList<>();
            for (YamlNode e : n.items()) {
                Mapping ef = fields(e, NOTE);
                String state = ef.required("state").text().toUpperCase(java.util.Locale.ROOT);
                if (!state.equals("FIRING") && !state.equals("RESOLVED")) {
                    throw ef.required("state").error("must be FIRING or RESOLVED");
                }
                out.add(new ExpectedNotification(duration(ef.required("at")), ef.required("rule").text(),
                        hsCode(ef.required("commodity")), state));
            }
            return out;
        });
        if (checks.isEmpty() && notes.isEmpty()) {
            throw node.error("has neither 'alert_rule_test' nor 'exp_notifications': it would test nothing");
        }
        return new TestCase(name, input, checks, notes);
    }

    private static Object constant(String field, YamlNode value) {
        if (field.equals("topRoutes")) {
            return value instanceof YamlNode.Sequence ? value.items().stream().map(YamlNode::text).toList() : List.of(value.text());
        }
        if (field.equals("lastTariffChangeAt")) {
            return instant(value);
        }
        if (Metric.named(field).isEmpty()) {
            throw value.error("not a stats field that can be set (numeric fields, topRoutes, lastTariffChangeAt)");
        }
        try {
            return Double.parseDouble(value.text());
        } catch (NumberFormatException e) {
            throw value.error("must be a number, got '" + value.text() + "'");
        }
    }

    private static String hsCode(YamlNode n) {
        return HsCode.normalise(n.text()).orElseThrow(() -> n.error("'" + n.text() + "' is not a 6-digit HS code"));
    }

    private static Duration duration(YamlNode n) {
        try {
            return ChokepointConfig.parseDuration(n.path(), n.text());
        } catch (ChokepointConfig.ConfigProblem e) {
            throw n.error("'" + n.text() + "' is not a duration such as 90m, 6h or 2d");
        }
    }

    private static Instant instant(YamlNode n) {
        try {
            return java.time.OffsetDateTime.parse(n.text()).toInstant();
        } catch (DateTimeParseException e) {
            throw n.error("'" + n.text() + "' is not an ISO-8601 time with offset, e.g. 2025-04-01T00:00:00Z");
        }
    }
}
