package io.chokepoint.rules.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands as a user runs them: exit codes, what goes to stdout, one clear line on stderr. */
class RulesCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RulesCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void rules_test_shipped_passes() {
        Run r = run("test", "--shipped");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("5 test(s), 5 passed, 0 failed");
    }

    @Test
    void rules_test_exits_1_on_a_mismatch_and_2_on_an_invalid_file(@TempDir Path dir) throws Exception {
        Path failing = dir.resolve("failing.test.yaml");
        Files.writeString(failing, """
                rule_files: [default]
                tests:
                  - name: tariff escalation expected too early
                    input:
                      - commodity: "850760"
                        values: {lastTariffChangePct: "0 125 125"}
                    exp_notifications:
                      - {at: 0h, state: FIRING, rule: tariff-escalation, commodity: "850760"}
                """);
        Run r = run("test", failing.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  " + failing + ": tariff escalation expected too early",
                "  - at 0s FIRING tariff-escalation 850760", "  + at 1h FIRING tariff-escalation 850760", "1 failed");

        Path invalid = dir.resolve("invalid.test.yaml");
        Files.writeString(invalid, "rule_files: [default]\ntests:\n  - input: []\n    exp_notifications: []\n    eval: 1h\n");
        Run bad = run("test", invalid.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith(invalid + ":5:5: tests[0].eval: unknown field").doesNotContain("Exception");

        Run missing = run("test", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("rules test: " + dir.resolve("nope.yaml") + ": file does not exist");
    }

    @Test
    void rules_apply_validates_before_publishing(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "rules:\n  - id: x\n    metric: p95DelayHours\n    comparison: '>'\n    fire: 10\n    resolve: 20\n");
        Run r = run("apply", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":6:14: rules[0](x).resolve: resolve threshold 20 must be at most the fire threshold 10")
                .contains("nothing published");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "rules:\n  - {id: x, metric: p95DelayHours, comparison: '>', fire: 10}\n");
        Run dry = run("apply", "--dry-run", good.toString());
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("1 rule(s) valid: x");
    }

    @Test
    void rules_backtest_writes_table_json_and_csv(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - {id: slow-magnets, metric: p95DelayHours, comparison: '>', fire: 72, resolve: 24}\n");
        Path history = dir.resolve("milestones.csv");
        List<String> lines = new ArrayList<>();
        lines.add("shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier");
        Instant t = Instant.parse("2025-04-10T00:00:00Z");
        for (int i = 0; i < 48; i++) {
            Instant actual = t.plusSeconds(i * 1800L);
            long delayHours = i < 24 ? 100 : 1;          // half a day of stalled clearances, then on time
            lines.add(String.join(",", "S" + i, "8505.11", "CN", "US", "CLEARED", actual.minusSeconds(delayHours * 3600).toString(),
                    actual.toString(), "10", "COSCO"));
        }
        lines.add("S-bad,850511,CN,US,CLEARED,yesterday,2025-04-10T01:00:00Z,10,COSCO");
        Files.write(history, lines);

        Run table = run("backtest", "--rules", rules.toString(), "--history", history.toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("FIRING    slow-magnets", "RESOLVED  slow-magnets", "RULE TOTALS");
        assertThat(table.err()).contains(history + ":50:6: planned_at: ")
                .contains("1 history row(s) rejected, as chokepoint produce rejects them, and not replayed");
        assertThat(Files.readAllLines(dir.resolve("milestones.rejects.csv"))).hasSize(2).first().isEqualTo("file,line,column,field,reason,value,message");

        Path json = dir.resolve("report.json");
        assertThat(run("backtest", "--rules", rules.toString(), "--history", history.toString(), "--format", "json",
                "--out", json.toString()).exit()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.at("/totals/0/rule").asText()).isEqualTo("slow-magnets");
        assertThat(doc.at("/totals/0/fires").asInt()).isEqualTo(1);
        assertThat(doc.at("/alerts/0/state").asText()).isEqualTo("FIRING");
        assertThat(doc.at("/alerts/1/alertId").asText()).isEqualTo(doc.at("/alerts/0/alertId").asText());

        Path csv = dir.resolve("alerts.csv");
        assertThat(run("backtest", "--rules", rules.toString(), "--history", history.toString(), "--format", "csv",
                "--out", csv.toString()).exit()).isZero();
        assertThat(Files.readAllLines(csv).get(0)).startsWith("at,state,rule,hs_code");
        assertThat(Files.readAllLines(csv)).hasSize(3);
        assertThat(Files.readString(Path.of(csv + ".totals.csv"))).startsWith("rule,fires,resolves,flaps");

        Run both = run("backtest", "--rules", "default", "--history", history.toString(), "--scenario", "trade-war-2025");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo("rules backtest: give either --history FILE… or --scenario NAME");
        Run unknown = run("backtest", "--rules", "default", "--scenario", "no-such-story");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("rules backtest: ").doesNotContain("Exception");

        Run noRules = run("backtest", "--rules", dir.resolve("missing.yaml").toString(), "--history", history.toString());
        assertThat(noRules.exit()).isEqualTo(2);
        assertThat(noRules.err().strip()).isEqualTo(dir.resolve("missing.yaml") + ": file does not exist");
    }

    /** Backtests read history through the importers' reader: what produce rejects is rejected, with the same report. */
    @Test
    void rules_backtest_rejects_what_the_importer_rejects_and_names_a_file_it_cannot_read(@TempDir Path dir) throws Exception {
        Path tariffs = dir.resolve("tariffs.csv");
        Files.writeString(tariffs, """
                change_id,announced_at,effective_at,imposing_country,target_country,hs_code,previous_rate_pct,new_rate_pct,measure
                T1,2025-04-02T20:00:00Z,2025-04-09T04:01:00Z,US,CN,850511,20,54,INCREASE
                T2,2025-04-02T20:00:00Z,2025-04-09T04:01:00Z,UK,CN,850511,20,54,INCREASE
                T3,2025-04-03T20:00:00Z,2025-04-09T04:01:00Z,US,CN,850511,54,30,INCREASE
                """);
        Path licences = dir.resolve("licences.jsonl");
        Files.writeString(licences, """
                {"licence_id":"L1","decided_at":"2025-04-05T10:00:00Z","authority":"MOFCOM","exporter":"CN","importer":"US","hs_code":"850511","decision":"APPROVED","quantity_kg":-5}
                {"licence_id":"L2","decided_at":"2025-04-05T11:00:00Z","authority":"MOFCOM","exporter":"CN","importer":"US","hs_code":"850511","decision":"DENIED","colour":"red"}
                {"licence_id":"L3","decided_at":"2025-04-05T12:00:00Z","authority":"MOFCOM","exporter":"CN","importer":"US","hs_code":"850511","decision":"PENDING"}
                """);
        Run r = run("backtest", "--rules", "default", "--history", tariffs.toString(), licences.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains(tariffs + ":3:4: imposing_country: ", "UK", tariffs + ":4:8: new_rate_pct: ",
                licences + ":1: quantity_kg: ", licences + ":2: colour: ")
                .contains("4 history row(s) rejected");
        assertThat(r.out()).contains("2 file(s): 2 events (4 rows rejected)");
        assertThat(Files.readAllLines(dir.resolve("tariffs.rejects.csv"))).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve("licences.rejects.csv"))).hasSize(3);

        Path unclosed = dir.resolve("milestones.csv");
        Files.writeString(unclosed, """
                shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier
                S1,850511,CN,US,CLEARED,2025-04-10T00:00:00Z,2025-04-11T00:00:00Z,10,"COSCO
                S2,850511,CN,US,CLEARED,2025-04-10T00:00:00Z,2025-04-11T00:00:00Z,10,COSCO
                """);
        Run bad = run("backtest", "--rules", "default", "--history", unclosed.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("rules backtest: " + unclosed
                + " line 2: a quoted field is never closed; the last line is truncated or a quote is missing");
        Path unknownKind = dir.resolve("orders.csv");
        Files.writeString(unknownKind, "order_id,hs_code\nO1,850511\n");
        Run notHistory = run("backtest", "--rules", "default", "--history", unknownKind.toString());
        assertThat(notHistory.exit()).isEqualTo(2);
        assertThat(notHistory.err().strip()).isEqualTo("rules backtest: " + unknownKind
                + " line 1: not a licences, tariffs or milestones file (expected a licence_id, change_id or shipment_id column)");
    }
}
