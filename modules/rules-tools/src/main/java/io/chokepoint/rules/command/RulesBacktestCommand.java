package io.chokepoint.rules.command;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.importer.BadFileException;
import io.chokepoint.rules.backtest.Backtest;
import io.chokepoint.producers.simulator.ScenarioException;
import io.chokepoint.rules.backtest.BacktestReport;
import io.chokepoint.rules.backtest.ScenarioHistory;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleFileException;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chokepoint rules backtest}: what would these rules have sent, on this history? */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay historical event files (the importers' CSV / JSON-lines formats: licences, tariffs, "
                + "milestones) through the delay aggregation and the rule evaluation, in-process, and report every "
                + "alert that would have been sent, with per-rule totals: fires, flaps, time firing; for change rules "
                + "(kind: change) also each alert's lead over the threshold alerts and the unconfirmed alerts per 100 "
                + "commodity-months (on a calm history such as --scenario calm-2025: false alarms). "
                + "Window settings come from the streams.window.* configuration keys."},
        footer = {"", "Example:",
                "  chokepoint rules backtest --rules my-rules.yaml --history milestones.csv licences.csv tariffs.csv \\",
                "      --format json --out backtest.json",
                "  chokepoint rules backtest --rules default --scenario trade-war-2025",
                "  chokepoint rules backtest --rules default --scenario calm-2025    # false alarms"})
public final class RulesBacktestCommand implements Callable<Integer> {

    /** Rejected rows shown per history file unless --show-rejects. */
    private static final int SHOWN_REJECTS = 20;

    /** How the report is written. */
    public enum Format { table, json, csv }

    public ChokepointConfig config;

    @Option(names = "--rules", paramLabel = "FILE", arity = "1..*", required = true,
            description = "Rule files; 'default' for the shipped rules.")
    List<String> rules = new ArrayList<>();

    @Option(names = "--history", paramLabel = "FILE", arity = "1..*",
            description = "History files (.csv with header, or .jsonl), any mix of licences, tariffs and milestones.")
    List<Path> history = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Instead of history files, the story of a simulator scenario (built-in name or YAML file), e.g. trade-war-2025.")
    String scenario;

    @Option(names = "--seed", description = "Seed of the scenario's story (default: the scenario's own).")
    Long seed;

    @Option(names = "--commodities", split = ",", paramLabel = "HS",
            description = "Replay only these commodities of the scenario (comma-separated HS codes); default all.")
    List<String> commodities = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", description = "table (default), json, or csv (alerts; totals go to OUT.totals.csv or follow on stdout).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Option(names = "--flap-window", defaultValue = "24h", paramLabel = "DURATION",
            description = "A FIRING within this time after a RESOLVED of the same rule and commodity counts as a flap (default 24h).")
    String flapWindow;

    @Option(names = "--lead-time", description = "Replay a second time with every rule on final windows only and print how much "
            + "earlier each rule fired for each commodity on the live view.")
    boolean leadTime;

    @Option(names = "--show-rejects", description = "List every history row that was skipped (default: the first 20).")
    boolean showRejects;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ChokepointConfig cfg = config == null ? ChokepointConfig.of(java.util.Map.of()) : config;
        Duration flaps;
        RuleSet ruleSet;
        StreamsSettings streams;
        try {
            flaps = ChokepointConfig.parseDuration("--flap-window", flapWindow);
            ruleSet = load(rules);
            streams = StreamsSettings.from(cfg);
        } catch (RuleFileException e) {
            err.println(e.getMessage());
            return 2;
        } catch (ChokepointConfig.ConfigProblem e) {
            err.println("rules backtest: " + e.getMessage());
            return 2;
        }
        if (history.isEmpty() == (scenario == null)) {
            err.println("rules backtest: give either --history FILE… or --scenario NAME");
            return 2;
        }
        for (Path p : history) {
            if (!Files.isReadable(p)) {
                err.println("rules backtest: " + p + ": file does not exist or is not readable");
                return 2;
            }
        }
        BacktestReport report;
        try {
            Backtest backtest = new Backtest(ruleSet, RuleSettings.from(cfg), streams);
            report = replay(backtest, flaps, err::println, showRejects ? Integer.MAX_VALUE : SHOWN_REJECTS);
            if (leadTime) {
                report = report.withLeadTimes(replay(backtest.finalOnly(), flaps, reject -> { }, 0), backtest.grace());
            }
        } catch (ScenarioException | BadFileException e) {
            err.println("rules backtest: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            write(report);
        } catch (IOException e) {
            err.println("rules backtest: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        if (report.run().rejectedRows() > 0) {
            err.println(report.run().rejectedRows() + " history row(s) rejected, as chokepoint produce rejects them, and not replayed;"
                    + " every reason is in the reject report next to the file (F.csv -> F.rejects.csv)");
        }
        err.flush();
        return 0;
    }

    private BacktestReport replay(Backtest backtest, Duration flaps, java.util.function.Consumer<String> rejects, int maxShown)
            throws BadFileException {
        if (scenario != null) {
            ScenarioHistory story = new ScenarioHistory(scenario, seed != null ? seed : ScenarioHistory.defaultSeed(scenario),
                    java.util.Set.copyOf(commodities));
            return backtest.run(story, List.of(story.name()), flaps, () -> 0);
        }
        return backtest.run(history, flaps, rejects, maxShown);
    }

    static RuleSet load(List<String> names) {
        List<io.chokepoint.rules.model.Rule> all = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String n : names) {
            if (n.equals("default")) {
                all.addAll(RuleSet.defaults().all());
            } else {
                files.add(Path.of(n));
            }
        }
        all.addAll(RuleSet.load(files, new RuleParser()).all());
        return RuleSet.of(all);
    }

    private void write(BacktestReport report) throws IOException {
        String text = switch (format) {
            case table -> report.table();
            case json -> report.json();
            case csv -> out == null ? report.alertsCsv() + "\n" + report.totalsCsv() : report.alertsCsv();
        };
        if (out == null) {
            PrintWriter w = spec.commandLine().getOut();
            w.print(text);
            w.flush();
            return;
        }
        Files.writeString(out, text);
        if (format == Format.csv) {
            Files.writeString(Path.of(out + ".totals.csv"), report.totalsCsv());
        }
        spec.commandLine().getErr().println("report written to " + out + (format == Format.csv ? " and " + out + ".totals.csv" : ""));
    }
}
