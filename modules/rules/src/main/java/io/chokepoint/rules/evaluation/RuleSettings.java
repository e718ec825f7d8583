package io.chokepoint.rules.evaluation;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.config.ChokepointConfig.ConfigProblem;

import java.time.Duration;

/**
 * Knobs of the rule evaluation ({@code rules.*} keys of {@link ChokepointConfig}).
 *
 * @param quietAfter        default for rules without {@code quiet_after}: an episode of a commodity whose own newest
 *                          fact ({@code lastEventAt}) is this much older than its live view is closed
 *                          ({@code rules.quiet.after}, default 24h: one whole window without a fact)
 * @param reconcileInterval wall-clock interval at which rule changes, deleted rules and wall-clock quietness are
 *                          applied to open episodes ({@code rules.reconcile.interval}, default 10s)
 * @param quietByWallClock  also close episodes of commodities quiet by the wall clock ({@code rules.quiet.wall.clock},
 *                          default true); off for replays, whose wall clock means nothing
 */
public record RuleSettings(Duration quietAfter, Duration reconcileInterval, boolean quietByWallClock) {

    public static final String QUIET_AFTER = "rules.quiet.after";
    public static final String RECONCILE_INTERVAL = "rules.reconcile.interval";
    public static final String QUIET_BY_WALL_CLOCK = "rules.quiet.wall.clock";
    /** Rule files loaded at start, comma-separated; when unset the shipped defaults are used. */
    public static final String FILES = "rules.files";

    public RuleSettings {
        positive(QUIET_AFTER, quietAfter);
        positive(RECONCILE_INTERVAL, reconcileInterval);
    }

    public static RuleSettings defaults() {
        return from(ChokepointConfig.of(java.util.Map.of()));
    }

    public static RuleSettings from(ChokepointConfig config) {
        return new RuleSettings(
                config.getDuration(QUIET_AFTER, Duration.ofHours(24)),
                config.getDuration(RECONCILE_INTERVAL, Duration.ofSeconds(10)),
                config.getBoolean(QUIET_BY_WALL_CLOCK, true));
    }

    /**
     * The rules loaded at start: the files named by {@value #FILES} (comma-separated), or the shipped
     * defaults when the key is unset. Throws {@link io.chokepoint.rules.model.RuleFileException} naming
     * file, line and field.
     */
    public static io.chokepoint.rules.model.RuleSet fileRules(ChokepointConfig config) {
        return config.find(FILES)
                .map(list -> io.chokepoint.rules.model.RuleSet.load(java.util.Arrays.stream(list.split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).map(java.nio.file.Path::of).toList(),
                        new io.chokepoint.rules.model.RuleParser()))
                .orElseGet(io.chokepoint.rules.model.RuleSet::defaults);
    }

    /** For offline replays: the same rules semantics, but quietness only by event time. */
    public RuleSettings forReplay() {
        return new RuleSettings(quietAfter, reconcileInterval, false);
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigProblem(key, "must be a positive duration, got " + d);
        }
    }
}
