package io.chokepoint.rules.testing;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.config.ChokepointConfig;
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
import java.util.Set;

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

    private static final Set<String> TOP = Set.of("rule_files", "start", "interval", "window", "tests");
    private static final Set<String> TEST = Set.of("name", "input", "alert_rule_test", "exp_notifications");
    private static final Set<String> INPUT = Set.of("commodity", "values", "fields");
    private static final Set<String> CHECK = Set.of("eval_time", "rule", "alertname", "exp_alerts");
    private static final Set<String> ALERT = Set.of("rule", "commodity", "labels", "annotations", "exp_labels", "exp_annotations");
    private static final Set<String> NOTE = Set.of("at", "rule", "commodity", "state");

    public static RuleTestFile parse(String text, Path file) {
        YamlNode root = YamlNode.parse(text, file.toString());
        Map<String, YamlNode> top = root.fields(TOP);
        List<String> ruleFiles = new ArrayList<>();
        for (YamlNode n : YamlNode.required(root, top, "rule_files").items()) {
            ruleFiles.add(n.text());
        }
        if (ruleFiles.isEmpty()) {
            throw top.get("rule_files").problem("names no rule file (use 'default' for the shipped rules)");
        }
        Instant start = YamlNode.opt(top, "start").map(RuleTestFile::instant).orElse(DEFAULT_START);
        Duration interval = YamlNode.opt(top, "interval").map(RuleTestFile::duration).orElse(Duration.ofHours(1));
        Duration window = YamlNode.opt(top, "window").map(RuleTestFile::duration).orElse(Duration.ofHours(24));
        if (interval.isZero() || interval.isNegative()) {
            throw top.get("interval").problem("must be a positive duration");
        }
        List<TestCase> tests = new ArrayList<>();
        for (YamlNode t : YamlNode.required(root, top, "tests").items()) {
            tests.add(testCase(t, tests.size()));
        }
        return new RuleTestFile(file, ruleFiles, start, interval, window, tests);
    }

    private static TestCase testCase(YamlNode node, int index) {
        Map<String, YamlNode> f = node.fields(TEST);
        String name = YamlNode.opt(f, "name").map(YamlNode::text).orElse("test " + (index + 1));
        List<InputSeries> input = new ArrayList<>();
        for (YamlNode in : YamlNode.required(node, f, "input").items()) {
            Map<String, YamlNode> i = in.fields(INPUT);
            String hs = hsCode(YamlNode.required(in, i, "commodity"));
            Map<String, List<Double>> series = new LinkedHashMap<>();
            YamlNode.opt(i, "values").ifPresent(v -> v.fields(null).forEach((field, notation) -> {
                if (Metric.named(field).isEmpty()) {
                    throw notation.problem("not a numeric stats field (known: " + String.join(", ", Metric.names()) + ")");
                }
                try {
                    series.put(field, SeriesNotation.expand(notation.text()));
                } catch (IllegalArgumentException e) {
                    throw notation.problem(e.getMessage());
                }
            }));
            Map<String, Object> constants = new LinkedHashMap<>();
            YamlNode.opt(i, "fields").ifPresent(v -> v.fields(null).forEach((field, value) -> constants.put(field, constant(field, value))));
            if (series.isEmpty()) {
                throw in.problem("needs 'values' with at least one series");
            }
            input.add(new InputSeries(hs, series, constants));
        }
        List<AlertCheck> checks = new ArrayList<>();
        for (YamlNode c : YamlNode.opt(f, "alert_rule_test").map(YamlNode::items).orElse(List.of())) {
            Map<String, YamlNode> cf = c.fields(CHECK);
            Duration at = duration(YamlNode.required(c, cf, "eval_time"));
            // promtool's spellings (alertname, exp_labels, exp_annotations) are accepted too
            Optional<String> rule = YamlNode.opt(cf, "rule").or(() -> YamlNode.opt(cf, "alertname")).map(YamlNode::text);
            List<ExpectedAlert> expected = new ArrayList<>();
            for (YamlNode a : YamlNode.opt(cf, "exp_alerts").map(YamlNode::items).orElse(List.of())) {
                Map<String, YamlNode> af = a.fields(ALERT);
                Optional<String> alertRule = YamlNode.opt(af, "rule").map(YamlNode::text).or(() -> rule);
                if (alertRule.isEmpty()) {
                    throw a.problem("'rule' is required here or on the alert_rule_test");
                }
                expected.add(new ExpectedAlert(alertRule, hsCode(YamlNode.required(a, af, "commodity")),
                        YamlNode.opt(af, "labels").or(() -> YamlNode.opt(af, "exp_labels")).map(YamlNode::stringMap).orElse(Map.of()),
                        YamlNode.opt(af, "annotations").or(() -> YamlNode.opt(af, "exp_annotations")).map(YamlNode::stringMap).orElse(Map.of())));
            }
            checks.add(new AlertCheck(at, rule, expected, c.path()));
        }
        Optional<List<ExpectedNotification>> notes = YamlNode.opt(f, "exp_notifications").map(n -> {
            List<ExpectedNotification> out = new ArrayList<>();
            for (YamlNode e : n.items()) {
                Map<String, YamlNode> ef = e.fields(NOTE);
                String state = YamlNode.required(e, ef, "state").text().toUpperCase(java.util.Locale.ROOT);
                if (!state.equals("FIRING") && !state.equals("RESOLVED")) {
                    throw ef.get("state").problem("must be FIRING or RESOLVED");
                }
                out.add(new ExpectedNotification(duration(YamlNode.required(e, ef, "at")), YamlNode.required(e, ef, "rule").text(),
                        hsCode(YamlNode.required(e, ef, "commodity")), state));
            }
            return out;
        });
        if (checks.isEmpty() && notes.isEmpty()) {
            throw node.problem("has neither 'alert_rule_test' nor 'exp_notifications': it would test nothing");
        }
        return new TestCase(name, input, checks, notes);
    }

    private static Object constant(String field, YamlNode value) {
        if (field.equals("topRoutes")) {
            return value.isList() ? value.items().stream().map(YamlNode::text).toList() : List.of(value.text());
        }
        if (field.equals("lastTariffChangeAt")) {
            return instant(value);
        }
        if (Metric.named(field).isEmpty()) {
            throw value.problem("not a stats field that can be set (numeric fields, topRoutes, lastTariffChangeAt)");
        }
        try {
            return Double.parseDouble(value.text());
        } catch (NumberFormatException e) {
            throw value.problem("must be a number, got '" + value.text() + "'");
        }
    }

    private static String hsCode(YamlNode n) {
        return HsCode.normalise(n.text()).orElseThrow(() -> n.problem("'" + n.text() + "' is not a 6-digit HS code"));
    }

    private static Duration duration(YamlNode n) {
        try {
            return ChokepointConfig.parseDuration(n.path(), n.text());
        } catch (ChokepointConfig.ConfigProblem e) {
            throw n.problem("'" + n.text() + "' is not a duration such as 90m, 6h or 2d");
        }
    }

    private static Instant instant(YamlNode n) {
        try {
            return java.time.OffsetDateTime.parse(n.text()).toInstant();
        } catch (DateTimeParseException e) {
            throw n.problem("'" + n.text() + "' is not an ISO-8601 time with offset, e.g. 2025-04-01T00:00:00Z");
        }
    }
}
