package io.chokepoint.rules.testing;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.Metric;
import io.chokepoint.rules.model.Durations;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.offline.Replay;
import io.chokepoint.rules.testing.RuleTestFile.AlertCheck;
import io.chokepoint.rules.testing.RuleTestFile.ExpectedAlert;
import io.chokepoint.rules.testing.RuleTestFile.ExpectedNotification;
import io.chokepoint.rules.testing.RuleTestFile.InputSeries;
import io.chokepoint.rules.testing.RuleTestFile.TestCase;
import org.apache.avro.Schema;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs rule-test files: each test case feeds its stats series, step by step, through the real
 * rule topology (in-process), then compares the alerts active at each {@code eval_time} and, when
 * given, the exact FIRING/RESOLVED sequence, with a readable diff.
 *
 * <p>A step with values is a fact of the commodity at that time: its live view as of then, and the
 * final record of the window ending then (for {@code evaluate: final} rules). A step without
 * values ({@code _}, or past the series' end) is silence, as the live view shows it: the
 * commodity's previous view carried forward with its older evidence time, until a whole window has
 * passed since that evidence, then one empty view.
 */
public final class RuleTestRunner {

    /** The outcome of one test case; {@code diff} is empty when it passed. */
    public record Outcome(Path file, String test, List<String> diff) {
        public boolean passed() {
            return diff.isEmpty();
        }
    }

    private record Notification(Duration at, String rule, String hsCode, String state, DisruptionAlert alert) {
        String line() {
            return "at " + Durations.format(at) + " " + state + " " + rule + " " + hsCode;
        }
    }

    private final RuleSettings settings;

    public RuleTestRunner(RuleSettings settings) {
        this.settings = settings;
    }

    public List<Outcome> run(RuleTestFile file) {
        RuleSet rules = loadRules(file);
        List<Outcome> outcomes = new ArrayList<>();
        for (TestCase test : file.tests()) {
            outcomes.add(new Outcome(file.file(), test.name(), runCase(file, rules, test)));
        }
        return outcomes;
    }

    private static RuleSet loadRules(RuleTestFile file) {
        Path dir = file.file().toAbsolutePath().getParent();
        List<Path> paths = new ArrayList<>();
        RuleSet defaults = null;
        for (String name : file.ruleFiles()) {
            if (name.equals(RuleTestFile.DEFAULT_RULES)) {
                defaults = RuleSet.defaults();
            } else {
                paths.add(dir.resolve(name));
            }
        }
        RuleSet loaded = RuleSet.load(paths, new RuleParser());
        if (defaults == null) {
            return loaded;
        }
        List<io.chokepoint.rules.model.Rule> all = new ArrayList<>(defaults.all());
        all.addAll(loaded.all());
        return RuleSet.of(all);
    }

    private List<String> runCase(RuleTestFile file, RuleSet rules, TestCase test) {
        List<Notification> got = new ArrayList<>();
        try (Replay replay = Replay.ofRules(rules, settings)) {
            int steps = test.input().stream().flatMap(s -> s.series().values().stream()).mapToInt(List::size).max().orElse(0);
            Map<InputSeries, CommodityDelayStats> lastView = new LinkedHashMap<>();
            // silence is shown until a window has passed, so a test's quiet commodity gets that long
            int silentSteps = (int) Math.max(1, file.window().toMillis() / file.interval().toMillis());
            for (int i = 0; i < steps + silentSteps; i++) {
                Instant end = file.start().plus(file.interval().multipliedBy(i));
                for (InputSeries series : test.input()) {
                    CommodityDelayStats stats = statsAt(series, i, end, file.window());
                    if (stats != null) {
                        replay.pipeStats(stats);
                        CommodityDelayStats live = asLive(stats, end);
                        replay.pipeStats(live);
                        lastView.put(series, live);
                    } else if (lastView.containsKey(series)) {
                        CommodityDelayStats silent = silentView(lastView.get(series), end, file.window());
                        replay.pipeStats(silent);
                        if (silent.getLastEventAt() == null) {
                            lastView.remove(series); // the view emptied: the commodity is gone, as on a cluster
                        } else {
                            lastView.put(series, silent);
                        }
                    }
                }
            }
            replay.drainAlerts().forEach(r -> {
                DisruptionAlert a = r.value();
                got.add(new Notification(Duration.between(file.start(), a.getEventAt()), a.getRuleId(), a.getHsCode(),
                        a.getState().name(), a));
            });
        }
        List<String> diff = new ArrayList<>();
        for (AlertCheck check : test.alertChecks()) {
            diff.addAll(compareActive(check, got));
        }
        test.notifications().ifPresent(expected -> diff.addAll(compareNotifications(expected, got)));
        return diff;
    }

    /** The live view as of {@code at} of a step's facts: its own evidence time is the step's. */
    static CommodityDelayStats asLive(CommodityDelayStats fin, Instant at) {
        CommodityDelayStats live = CommodityDelayStats.newBuilder(fin).setIsFinal(false).setAsOf(at).build();
        if (live.getLastEventAt() == null) {
            live.setLastEventAt(at);
        }
        return live;
    }

    /** The view of a silent commodity as of {@code at}: the previous one, its evidence aging, empty once a window passed. */
    static CommodityDelayStats silentView(CommodityDelayStats previous, Instant at, Duration window) {
        CommodityDelayStats.Builder b = CommodityDelayStats.newBuilder(previous).setAsOf(at)
                .setWindowStart(at.minus(window)).setWindowEnd(at);
        if (!previous.getLastEventAt().isAfter(at.minus(window))) {
            b.setCount(0).setDistinctShipments(0).setLicencesDecided(0).setLicencesApproved(0).setLicenceApprovalRate(null)
                    .setOverdueShipments(0).setCurrentTariffPct(null).setLastTariffChangePct(null).setLastTariffChangeAt(null)
                    .setLastEventAt(null);
        }
        return b.build();
    }

    /** The final stats record of one commodity's window ending at step i, or null when no series has a value there. */
    static CommodityDelayStats statsAt(InputSeries series, int step, Instant end, Duration window) {
        Map<String, Double> values = new LinkedHashMap<>();
        series.series().forEach((field, list) -> {
            if (step < list.size() && list.get(step) != null) {
                values.put(field, list.get(step));
            }
        });
        if (values.isEmpty()) {
            return null;
        }
        CommodityDelayStats s = CommodityDelayStats.newBuilder()
                .setHsCode(series.hsCode()).setWindowStart(end.minus(window)).setWindowEnd(end).setIsFinal(true)
                .setCount(100).setDistinctShipments(100).setMeanDelayHours(0).setMaxDelayHours(0)
                .setP50DelayHours(0).setP95DelayHours(0).setCustomsHolds(0).build();
        series.constants().forEach((field, value) -> set(s, field, value));
        values.forEach((field, value) -> set(s, field, value));
        return s;
    }

    private static void set(CommodityDelayStats s, String field, Object value) {
        if (value instanceof Double d) {
            Schema schema = CommodityDelayStats.getClassSchema().getField(field).schema();
            Schema.Type type = schema.getType() == Schema.Type.UNION
                    ? schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow().getType()
                    : schema.getType();
            s.put(field, switch (type) {
                case LONG -> (Object) d.longValue();
                case INT -> (Object) d.intValue();
                case FLOAT -> (Object) d.floatValue();
                default -> (Object) d;
            });
        } else {
            s.put(field, value);
        }
    }

    private static List<String> compareActive(AlertCheck check, List<Notification> got) {
        Map<String, Notification> latest = new LinkedHashMap<>();
        for (Notification n : got) {
            if (n.at().compareTo(check.evalTime()) <= 0 && check.rule().map(r -> r.equals(n.rule())).orElse(true)) {
                latest.put(n.rule() + "|" + n.hsCode(), n);
            }
        }
        List<Notification> active = new ArrayList<>(latest.values().stream().filter(n -> n.state().equals("FIRING")).toList());
        List<ExpectedAlert> missing = new ArrayList<>();
        for (ExpectedAlert e : check.expected()) {
            Notification match = active.stream().filter(n -> matches(e, n.alert())).findFirst().orElse(null);
            if (match == null) {
                missing.add(e);
            } else {
                active.remove(match);
            }
        }
        if (missing.isEmpty() && active.isEmpty()) {
            return List.of();
        }
        List<String> diff = new ArrayList<>();
        diff.add(check.where() + ": alerts firing at eval_time " + Durations.format(check.evalTime())
                + check.rule().map(r -> " for rule " + r).orElse("") + " differ:");
        for (ExpectedAlert e : missing) {
            diff.add("  - expected " + e.rule().orElse("?") + " " + e.hsCode()
                    + (e.labels().isEmpty() ? "" : " labels " + e.labels()) + (e.annotations().isEmpty() ? "" : " annotations " + e.annotations()));
            latest.values().stream().filter(n -> n.rule().equals(e.rule().orElse(null)) && n.hsCode().equals(e.hsCode()))
                    .findFirst().ifPresent(n -> diff.add("      closest: " + n.state() + " since " + Durations.format(n.at())
                            + ", labels " + new java.util.TreeMap<>(n.alert().getLabels())
                            + ", annotations " + new java.util.TreeMap<>(n.alert().getAnnotations())));
        }
        for (Notification n : active) {
            diff.add("  + got " + n.rule() + " " + n.hsCode() + " (firing since " + Durations.format(n.at()) + ") labels "
                    + new java.util.TreeMap<>(n.alert().getLabels()));
        }
        return diff;
    }

    private static boolean matches(ExpectedAlert e, DisruptionAlert a) {
        return e.rule().map(r -> r.equals(a.getRuleId())).orElse(true)
                && e.hsCode().equals(a.getHsCode())
                && e.labels().entrySet().stream().allMatch(l -> l.getValue().equals(a.getLabels().get(l.getKey())))
                && e.annotations().entrySet().stream().allMatch(l -> l.getValue().equals(a.getAnnotations().get(l.getKey())));
    }

    private static List<String> compareNotifications(List<ExpectedNotification> expected, List<Notification> got) {
        List<String> want = expected.stream().map(e -> "at " + Durations.format(e.at()) + " " + e.state() + " " + e.rule() + " " + e.hsCode()).toList();
        List<String> have = got.stream().map(Notification::line).toList();
        if (want.equals(have)) {
            return List.of();
        }
        List<String> diff = new ArrayList<>();
        diff.add("exp_notifications differ (- expected, + got):");
        int i = 0;
        int j = 0;
        while (i < want.size() || j < have.size()) {
            if (i < want.size() && j < have.size() && want.get(i).equals(have.get(j))) {
                diff.add("    " + want.get(i));
                i++;
                j++;
            } else if (j < have.size() && (i >= want.size() || !have.subList(j, have.size()).contains(want.get(i)))) {
                if (i < want.size() && !want.subList(i, want.size()).contains(have.get(j))) {
                    diff.add("  - " + want.get(i++));
                }
                diff.add("  + " + have.get(j++));
            } else {
                diff.add("  - " + want.get(i++));
            }
        }
        return diff;
    }
}
