package io.chokepoint.rules.model;

import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.yaml.YamlProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleParserTest {

    private final RuleParser parser = new RuleParser();

    private List<YamlProblem> problemsOf(String yaml) {
        try {
            parser.parse(yaml, "bad.yaml");
        } catch (RuleFileException e) {
            return e.problems();
        }
        throw new AssertionError("expected the document to be rejected");
    }

    @Test
    void reads_every_field() {
        Rule r = parser.parse("""
                rules:
                  - id: magnets
                    description: magnets are late
                    select:
                      hs_codes: ["8505.11", 850519]
                      hs_prefixes: ["2846"]
                      groups: [rare-earth-metals]
                    metric: p95DelayHours
                    comparison: ">="
                    fire: 72
                    resolve: 36.5
                    for: 3 evaluations
                    keep_firing_for: 90m
                    severity: critical
                    labels: {team: ops}
                    annotations:
                      summary: "{{ .commodity }} at {{ $value }} h ({{ .labels.team }}, holds {{ .stats.customsHolds }})"
                    quiet_after: 12h
                    min_count: 5
                    min: {licencesDecided: 2}
                """, "f.yaml").get(0);
        assertThat(r.id()).isEqualTo("magnets");
        assertThat(r.selector().hsCodes()).containsExactlyInAnyOrder("850511", "850519");
        assertThat(r.selector().hsPrefixes()).containsExactly("2846");
        assertThat(r.comparison()).isEqualTo(Comparison.GREATER_OR_EQUAL);
        assertThat(r.fire()).isEqualTo(72);
        assertThat(r.resolve()).isEqualTo(36.5);
        assertThat(r.forHold()).isEqualTo(Hold.ofEvaluations(3));
        assertThat(r.keepFiringFor()).isEqualTo(Hold.ofDuration(Duration.ofMinutes(90)));
        assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(r.quietAfter()).contains(Duration.ofHours(12));
        assertThat(r.minCount()).isEqualTo(5);
        assertThat(r.minimums()).containsEntry("licencesDecided", 2.0);
        assertThat(r.origin()).isEqualTo("f.yaml:2");
        assertThat(r.selector().matches("284690", io.chokepoint.events.commodity.CommodityCatalogue.defaultCatalogue())).isTrue();
        assertThat(r.selector().matches("280530", io.chokepoint.events.commodity.CommodityCatalogue.defaultCatalogue())).isTrue();
        assertThat(r.selector().matches("854231", io.chokepoint.events.commodity.CommodityCatalogue.defaultCatalogue())).isFalse();
    }

    @Test
    void the_published_json_reads_back_as_the_same_rule() {
        for (Rule r : RuleSet.defaults().all()) {
            Rule back = parser.parseOne(RuleDocument.toJson(r), "topic");
            assertThat(back.fingerprint()).isEqualTo(r.fingerprint());
        }
    }

    @Test
    void errors_name_file_line_column_and_field() {
        List<YamlProblem> problems = problemsOf("""
                rules:
                  - id: magnets
                    metric: p95DelayHourz
                    comparison: ">"
                    fire: lots
                """);
        assertThat(problems).extracting(YamlProblem::toString).containsExactly(
                "bad.yaml:3:13: rules[0](magnets).metric: unknown metric 'p95DelayHourz' (numeric stats fields: "
                        + String.join(", ", Metric.names()) + ")",
                "bad.yaml:5:11: rules[0](magnets).fire: must be a number, got 'lots'");
    }

    @Test
    void resolve_on_the_wrong_side_of_fire_is_rejected() {
        assertThat(problemsOf("""
                rules:
                  - id: r
                    metric: p95DelayHours
                    comparison: ">"
                    fire: 72
                    resolve: 80
                """)).extracting(YamlProblem::toString).containsExactly(
                "bad.yaml:6:14: rules[0](r).resolve: resolve threshold 80 must be at most the fire threshold 72 for comparison '>' "
                        + "(hysteresis: resolve on the non-alerting side)");
        assertThat(problemsOf("""
                rules:
                  - id: r
                    metric: licenceApprovalRate
                    comparison: "<"
                    fire: 0.4
                    resolve: 0.2
                """).get(0).field()).isEqualTo("rules[0](r).resolve");
    }

    @Test
    void missing_fields_are_reported_at_the_rule_and_unknown_fields_at_their_line() {
        List<YamlProblem> problems = problemsOf("""
                rules:
                  - id: r
                    metric: p95DelayHours
                    keep_firing: 2h
                """);
        assertThat(problems).extracting(YamlProblem::toString).containsExactly(
                "bad.yaml:4:5: rules[0](r).keep_firing: unknown field (known: id, description, select, metric, comparison, fire, "
                        + "resolve, for, keep_firing_for, severity, labels, annotations, enabled, quiet_after, min_count, min, evaluate, kind, change)",
                "bad.yaml:2:5: rules[0](r).comparison: is required",
                "bad.yaml:2:5: rules[0](r).fire: is required");
    }

    @Test
    void a_rule_evaluates_the_live_view_unless_it_asks_for_final_windows() {
        String rule = """
                rules:
                  - id: r
                    metric: count
                    comparison: "<"
                    fire: 3
                """;
        assertThat(new RuleParser().parse(rule, "r.yaml").get(0).evaluate()).isEqualTo(Rule.Evaluate.LIVE);
        Rule fin = new RuleParser().parse(rule + "    evaluate: final\n", "r.yaml").get(0);
        assertThat(fin.evaluate()).isEqualTo(Rule.Evaluate.FINAL);
        assertThat(new RuleParser().parseOne(fin.fingerprint(), "topic").evaluate()).as("survives the topic").isEqualTo(Rule.Evaluate.FINAL);
        assertThat(problemsOf(rule + "    evaluate: sometimes\n")).extracting(YamlProblem::toString).containsExactly(
                "bad.yaml:6:15: rules[0](r).evaluate: must be live (the live view, the default) or final (closed windows only), got 'sometimes'");
    }

    @Test
    void selector_durations_severity_labels_and_templates_are_validated() {
        List<YamlProblem> problems = problemsOf("""
                rules:
                  - id: r
                    select:
                      hs_codes: ["85051"]
                      groups: [unobtainium]
                    metric: p95DelayHours
                    comparison: ">"
                    fire: 1
                    for: 3
                    keep_firing_for: soon
                    severity: PANIC
                    labels: {alertname: x}
                    annotations:
                      summary: "{{ .valeu }}"
                """);
        assertThat(problems).extracting(YamlProblem::field).containsExactly(
                "rules[0](r).select.hs_codes", "rules[0](r).select.groups", "rules[0](r).for", "rules[0](r).keep_firing_for",
                "rules[0](r).severity", "rules[0](r).labels.alertname", "rules[0](r).annotations.summary");
        assertThat(problems).extracting(YamlProblem::line).containsExactly(4, 5, 9, 10, 11, 12, 14);
        assertThat(problems.get(2).message()).contains("needs a unit");
        assertThat(problems.get(6).message()).startsWith("unknown placeholder '{{ .valeu }}'");
    }

    @Test
    void duplicate_ids_and_broken_yaml_are_located() {
        assertThat(problemsOf("""
                rules:
                  - {id: a, metric: count, comparison: ">", fire: 1}
                  - {id: a, metric: count, comparison: ">", fire: 2}
                """)).extracting(YamlProblem::toString).containsExactly(
                "bad.yaml:3:5: rules[1].id: duplicate rule id 'a' in this file");
        YamlProblem broken = problemsOf("rules:\n  - id: a\n   metric: [\n").get(0);
        assertThat(broken.line()).isEqualTo(3);
        assertThat(broken.message()).startsWith("not valid YAML");
    }

    @Test
    void loading_files_reports_problems_of_all_files_and_ids_defined_twice(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        Files.writeString(a, "rules:\n  - {id: x, metric: count, comparison: \">\", fire: 1}\n");
        Files.writeString(b, "rules:\n  - {id: y, metric: count, comparison: \">\", fire: 1}\n  - {id: x, metric: count, comparison: \">\", fire: 3}\n");
        assertThatThrownBy(() -> RuleSet.load(List.of(a, b, dir.resolve("missing.yaml")), parser))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining(b + ":3:1: x.id: rule id 'x' is already defined at " + a + ":2")
                .hasMessageContaining(dir.resolve("missing.yaml") + ": file does not exist");
    }

    @Test
    void default_rules_load_and_cover_the_trade_story() {
        RuleSet defaults = RuleSet.defaults();
        assertThat(defaults.all()).extracting(Rule::id).containsExactly(
                "rare-earth-magnet-delay-p95", "licence-approval-collapse", "tariff-escalation", "overdue-shipments",
                "rare-earth-magnet-delay-shift", "chip-engine-delay-shift");
        assertThat(defaults.all().stream().filter(Rule::isChange)).extracting(Rule::id)
                .containsExactly("rare-earth-magnet-delay-shift", "chip-engine-delay-shift");
    }

    @Test
    void a_change_rule_reads_its_detector_settings_with_defaults() {
        Rule r = parser.parse("""
                rules:
                  - id: magnets-shift
                    kind: change
                    select: {groups: [permanent-magnets]}
                    metric: p95DelayHours
                    change:
                      min_spread: 4
                      sensitivity: high
                    min_count: 5
                  - id: approvals-shift
                    kind: change
                    metric: licenceApprovalRate
                    change: {direction: down, sample: 6h, baseline: 30d, warm_up: 10d, min_spread: 0.05}
                """, "f.yaml").get(0);
        assertThat(r.isChange()).isTrue();
        ChangeDetection c = r.change().orElseThrow();
        assertThat(c).isEqualTo(new ChangeDetection(ChangeDetection.Direction.UP, Duration.ofHours(1), Duration.ofDays(14),
                Duration.ofDays(7), 4, ChangeDetection.Sensitivity.HIGH));
        assertThat(r.comparison()).isEqualTo(Comparison.GREATER_OR_EQUAL);
        assertThat(r.fire()).isEqualTo(ChangeDetection.FIRE_SCORE);
        assertThat(r.resolve()).isEqualTo(ChangeDetection.RESOLVE_SCORE);
        assertThat(c.baselineCapacity()).isEqualTo(336);

        Rule down = parser.parseOne(RuleDocument.toJson(parser.parse("""
                rules:
                  - id: approvals-shift
                    kind: change
                    metric: licenceApprovalRate
                    change: {direction: down, sample: 6h, baseline: 30d, warm_up: 10d, min_spread: 0.05}
                """, "f.yaml").get(0)), "topic");
        assertThat(down.change().orElseThrow()).isEqualTo(new ChangeDetection(ChangeDetection.Direction.DOWN, Duration.ofHours(6),
                Duration.ofDays(30), Duration.ofDays(10), 0.05, ChangeDetection.Sensitivity.MEDIUM));
        assertThat(RuleDocument.toMap(down)).doesNotContainKeys("comparison", "fire", "resolve").containsEntry("kind", "change");
    }

    @Test
    void change_rule_mistakes_are_located() {
        assertThat(problemsOf("""
                rules:
                  - id: shift
                    kind: change
                    metric: p95DelayHours
                    fire: 72
                    change:
                      direction: sideways
                      sample: 0h
                      baseline: 2d
                      warm_up: 7d
                      min_spread: -1
                      sensitivty: high
                  - id: no-settings
                    kind: change
                    metric: p95DelayHours
                  - id: no-spread
                    kind: change
                    metric: p95DelayHours
                    change: {sensitivity: low}
                  - id: threshold-with-change
                    kind: treshold
                    metric: p95DelayHours
                    comparison: ">"
                    fire: 1
                    change: {min_spread: 1}
                """)).extracting(YamlProblem::toString).containsExactlyInAnyOrder(
                "bad.yaml:5:5: rules[0](shift).fire: a change rule has no fixed thresholds: it fires when its detector finds a shift"
                        + " against the commodity's baseline (tune change.sensitivity instead)",
                "bad.yaml:12:7: rules[0](shift).change.sensitivty: unknown field (known: direction, sample, baseline, warm_up, min_spread,"
                        + " sensitivity)",
                "bad.yaml:7:18: rules[0](shift).change.direction: must be up, down or both, got 'sideways'",
                "bad.yaml:8:15: rules[0](shift).change.sample: must be a positive duration",
                "bad.yaml:11:19: rules[0](shift).change.min_spread: must be greater than 0 (the smallest spread, in the metric's unit)",
                "bad.yaml:10:16: rules[0](shift).change.warm_up: must not exceed the baseline (2d): the baseline never holds more history"
                        + " than that",
                "bad.yaml:13:5: rules[1](no-settings).change: is required for a change rule, at least {min_spread: N}: the smallest"
                        + " spread of the metric, in its unit, that is more than noise (e.g. 4 for hours of delay)",
                "bad.yaml:19:13: rules[2](no-spread).change.min_spread: is required: the smallest spread of the metric, in its unit,"
                        + " that is more than noise (e.g. 4 for hours of delay, 0.1 for an approval rate)",
                "bad.yaml:21:11: rules[3](threshold-with-change).kind: must be threshold (fixed fire and resolve values, the default) or"
                        + " change (a shift against the commodity's own baseline), got 'treshold'",
                "bad.yaml:25:5: rules[3](threshold-with-change).change: only a rule with 'kind: change' has change settings");
    }
}
