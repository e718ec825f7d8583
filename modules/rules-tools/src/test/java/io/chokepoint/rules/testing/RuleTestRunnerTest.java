package io.chokepoint.rules.testing;

import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleTestRunnerTest {

    private final RuleTestRunner runner = new RuleTestRunner(RuleSettings.defaults());

    @Test
    void series_notation_expands_like_promtool() {
        assertThat(SeriesNotation.expand("10 20 80x3 _ 30-10x2 1+0.5x1 _x2"))
                .containsExactly(10.0, 20.0, 80.0, 80.0, 80.0, 80.0, null, 30.0, 20.0, 10.0, 1.0, 1.5, null, null);
        assertThatThrownBy(() -> SeriesNotation.expand("10 8O")).hasMessageContaining("'8O' is not a value");
    }

    @Test
    void the_shipped_tests_of_the_default_rules_pass(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("default-rules.test.yaml");
        Files.writeString(file, new String(RuleSet.class.getResourceAsStream("/io/chokepoint/rules/default-rules.test.yaml").readAllBytes()));
        List<RuleTestRunner.Outcome> outcomes = runner.run(RuleTestFile.parse(Files.readString(file), file));
        assertThat(outcomes).hasSize(5);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.diff()).as(o.test()).isEmpty());
    }

    @Test
    void a_wrong_expectation_prints_a_readable_diff(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - id: magnets
                    metric: p95DelayHours
                    comparison: ">"
                    fire: 72
                    labels: {team: ops}
                """);
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                rule_files: [rules.yaml]
                tests:
                  - name: wrong
                    input:
                      - commodity: "8505.11"
                        values: {p95DelayHours: "10 80 80 10"}
                    alert_rule_test:
                      - eval_time: 2h
                        exp_alerts:
                          - {rule: magnets, commodity: "850511", labels: {team: night}}
                    exp_notifications:
                      - {at: 1h, state: FIRING, rule: magnets, commodity: "850511"}
                      - {at: 4h, state: RESOLVED, rule: magnets, commodity: "850511"}
                """);
        RuleTestRunner.Outcome outcome = runner.run(RuleTestFile.parse(Files.readString(file), file)).get(0);
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.diff()).containsExactly(
                "tests[0].alert_rule_test[0]: alerts firing at eval_time 2h differ:",
                "  - expected magnets 850511 labels {team=night}",
                "      closest: FIRING since 1h, labels {alertname=magnets, commodity=Permanent magnets of metal (NdFeB, SmCo), commodity_group=permanent-magnets, hs_code=850511, severity=WARNING, team=ops}, annotations {}",
                "  + got magnets 850511 (firing since 1h) labels {alertname=magnets, commodity=Permanent magnets of metal (NdFeB, SmCo), commodity_group=permanent-magnets, hs_code=850511, severity=WARNING, team=ops}",
                "exp_notifications differ (- expected, + got):",
                "    at 1h FIRING magnets 850511",
                "  - at 4h RESOLVED magnets 850511",
                "  + at 3h RESOLVED magnets 850511");
    }

    @Test
    void promtool_spellings_are_accepted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                rule_files: [default]
                tests:
                  - input:
                      - commodity: "850760"
                        values: {lastTariffChangePct: "0 125"}
                    alert_rule_test:
                      - eval_time: 1h
                        alertname: tariff-escalation
                        exp_alerts:
                          - commodity: "850760"
                            exp_labels: {severity: WARNING}
                            exp_annotations: {summary: "Lithium-ion accumulators (850760): tariff raised by 125 points (rate in force: n/a %)"}
                """);
        assertThat(runner.run(RuleTestFile.parse(Files.readString(file), file)).get(0).diff()).isEmpty();
    }

    @Test
    void test_file_errors_name_file_line_and_field(@TempDir Path dir) {
        Path file = dir.resolve("t.yaml");
        assertThatThrownBy(() -> RuleTestFile.parse("""
                rule_files: [default]
                tests:
                  - input:
                      - commodity: "850511"
                        values: {p95DelayHourz: "1 2"}
                    exp_notifications: []
                """, file)).hasMessageStartingWith(file + ":5:33: tests[0].input[0].values.p95DelayHourz: not a numeric stats field");
    }
}
