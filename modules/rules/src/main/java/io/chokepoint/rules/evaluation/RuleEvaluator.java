package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.RuleStateMachine.Step;
import io.chokepoint.rules.model.ChangeDetection;
import io.chokepoint.rules.model.Durations;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleFileException;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates every rule in force against each commodity's stats and emits a
 * {@link DisruptionAlert} on each FIRING and RESOLVED transition.
 *
 * <p><b>Which stats are evaluated.</b> Rules with {@code evaluate: live} (the default) read the
 * live view of each commodity ({@code commodity-delay-current}: the trailing window as of the
 * commodity's watermark), as it updates; their evaluation time is the view's as-of time. Rules
 * with {@code evaluate: final} read the final record of each window once it closed; their
 * evaluation time is the window end. Per commodity and stream, a record older than the newest
 * already evaluated is ignored (a duplicate after a restart, or out of order). Both times are
 * event time, so {@code for} and {@code keep_firing_for} mean the same live, in {@code rules
 * test} and in {@code rules backtest}.
 *
 * <p><b>Quiet commodities.</b> An episode closes when its commodity's own newest fact ({@code
 * lastEventAt}) is {@code quiet_after} older than the stats being evaluated, or when its trailing
 * window holds no fact at all any more. Only the commodity's own records move this clock; other
 * commodities' records never do. While quiet, a commodity's stale window opens no new episode.
 * When a whole stream stops, the wall clock closes episodes of commodities not heard of for
 * {@code quiet_after} (off in replays, whose wall clock means nothing).
 *
 * <p><b>Rule changes</b> (the {@code alert-rules} topic) apply to the next stats record of every
 * commodity, and at the latest at the next wall-clock reconciliation: deleted or disabled rules,
 * and rules that no longer select a commodity, resolve their firing alerts; changed thresholds are
 * re-checked against the last observed value.
 */
public final class RuleEvaluator implements Processor<String, CommodityDelayStats, String, DisruptionAlert> {

    private static final String DETECTOR_RESTART = "the rule's change settings changed and its detector learns the baseline again";

    private final RuleSet fileRules;
    private final RuleSettings settings;
    private final CommodityCatalogue catalogue;
    private final String rulesTopic;
    private final AlertFactory alerts;
    private final RuleParser parser;

    private ProcessorContext<String, DisruptionAlert> context;
    private KeyValueStore<String, Episode> episodes;
    private KeyValueStore<String, CommodityCursor> cursors;
    private KeyValueStore<String, DetectorState> detectors;
    // newest observed slot per change rule and commodity: a live view within an observed slot is
    // dismissed without reading the detector's state (a baseline of hundreds of values)
    private final Map<String, Long> observedSlots = new HashMap<>();
    private Map<String, Rule> rulesAtLastCleanup;
    // The cursors this task read or wrote, decoded: each stats record reads its commodity's cursor,
    // and decoding it from the store's bytes was a tenth of a backtest. Only this processor writes
    // the store, and init (again after a task is revived and its store restored) empties the map.
    private final Map<String, CommodityCursor> decodedCursors = new HashMap<>();
    // The episodes of each commodity this task has seen, decoded and written through, by rule id:
    // read once per commodity, not once per rule and stats record (nor scanned per record for
    // orphans of deleted rules), and an inactive rule × commodity costs no store delete.
    private final Map<String, SortedMap<String, Episode>> decodedEpisodes = new HashMap<>();
    private RuleBook ruleBook;

    public RuleEvaluator(RuleSet fileRules, RuleSettings settings, CommodityCatalogue catalogue, String rulesTopic) {
        this.fileRules = fileRules;
        this.settings = settings;
        this.catalogue = catalogue;
        this.rulesTopic = rulesTopic;
        this.alerts = new AlertFactory(catalogue);
        this.parser = new RuleParser(catalogue);
    }

    @Override
    public void init(ProcessorContext<String, DisruptionAlert> ctx) {
        this.context = ctx;
        this.episodes = ctx.getStateStore(RuleTopology.EPISODES_STORE);
        this.cursors = ctx.getStateStore(RuleTopology.CURSORS_STORE);
        this.decodedCursors.clear();
        this.decodedEpisodes.clear();
        this.detectors = ctx.getStateStore(RuleTopology.DETECTORS_STORE);
        this.observedSlots.clear();
        this.rulesAtLastCleanup = null;
        this.ruleBook = new RuleBook(fileRules, parser, ctx.getStateStore(RuleTopology.RULES_STORE), rulesTopic);
        ctx.schedule(settings.reconcileInterval(), PunctuationType.WALL_CLOCK_TIME, this::reconcile);
    }

    @Override
    public void process(Record<String, CommodityDelayStats> record) {
        CommodityDelayStats stats = record.value();
        if (stats == null) {
            return;
        }
        String hs = stats.getHsCode();
        boolean isFinal = stats.getIsFinal();
        long at = evaluationTime(stats, record.timestamp());
        CommodityCursor cursor = cursorOf(hs);
        // a live view as of the same time may carry late facts: only an older one is stale
        if (cursor != null && (isFinal ? at <= cursor.newest(true) : at < cursor.newest(false))) {
            return;
        }
        StatsSnapshot snapshot = StatsSnapshot.of(stats);
        long lastEventAt = Math.max(cursor == null ? Long.MIN_VALUE : cursor.lastEventAt(),
                stats.getLastEventAt() == null ? Long.MIN_VALUE : stats.getLastEventAt().toEpochMilli());
        boolean evidenceUnknown = stats.getLastEventAt() == null && stats.getCount() > 0;
        if (evidenceUnknown) {
            lastEventAt = Math.max(lastEventAt, at); // stats from a producer without lastEventAt: the record itself is the evidence
        }
        putCursor(hs, new CommodityCursor(
                isFinal ? (cursor == null ? Long.MIN_VALUE : cursor.newestLiveAt()) : at,
                isFinal ? at : (cursor == null ? Long.MIN_VALUE : cursor.newestWindowEnd()),
                lastEventAt, context.currentSystemTimeMs(),
                isFinal && cursor != null && cursor.newestLiveAt() != Long.MIN_VALUE ? cursor.latest() : snapshot));
        boolean emptyWindow = stats.getLastEventAt() == null && !evidenceUnknown;

        Map<String, Rule> rules = ruleBook.current();
        for (Rule rule : rules.values()) {
            if ((rule.evaluate() == Rule.Evaluate.FINAL) != isFinal) {
                continue;
            }
            String key = key(hs, rule.id());
            Episode episode = episode(hs, rule.id());
            if (!rule.enabled() || !rule.selector().matches(hs, catalogue)) {
                if (episode != null) {
                    close(key, rule, episode, snapshot, at, rule.enabled() ? "the rule no longer selects this commodity" : "the rule was disabled");
                }
                continue;
            }
            if (episode != null && !continues(episode, rule)) {
                close(key, rule, episode, snapshot, at, "the rule changed its metric or comparison");
                episode = null;
            }
            if (episode != null && detectorRestarts(key, rule, episode)) {
                close(key, rule, episode, snapshot, at, DETECTOR_RESTART);
                episode = null;
            }
            Duration quiet = quietAfter(rule);
            if (emptyWindow || at - lastEventAt >= quiet.toMillis()) {
                if (episode != null) {
                    close(key, rule, episode, snapshot, at, emptyWindow
                            ? "no fact of this commodity is left in its stats window"
                            : "no new fact of this commodity for " + Durations.format(quiet) + " (the newest at "
                            + Numbers.time(lastEventAt) + ")");
                }
                continue; // a quiet commodity's stale window is no evidence, for a new episode either
            }
            OptionalDouble value = rule.metric().valueIn(stats);
            if (value.isEmpty() || !rule.hasEvidence(stats)) {
                continue; // no evidence either way: the episode stays as it is
            }
            double evaluated = value.getAsDouble();
            if (rule.isChange()) {
                DetectorState detector = observe(key, rule, evaluated, at);
                if (detector == null || detector.warmingUp()) {
                    continue; // the same sample slot again, or still learning the baseline
                }
                evaluated = detector.score();
            }
            apply(key, rule, RuleStateMachine.evaluate(rule, hs, episode, evaluated, at), snapshot);
        }
        // episodes of rules that were deleted since this commodity's previous record
        for (Map.Entry<String, Episode> orphan : List.copyOf(episodesOf(hs).entrySet())) {
            if (!rules.containsKey(orphan.getKey())) {
                closeDeleted(key(hs, orphan.getKey()), orphan.getKey(), orphan.getValue(), snapshot, at);
            }
        }
    }

    /**
     * Event time of an evaluation: a final record's window end; a live view's as-of time (its
     * watermark), carried in the record and as its timestamp. Never the window end of a live
     * view, which lies up to one window advance ahead of the facts.
     */
    static long evaluationTime(CommodityDelayStats stats, long recordTimestamp) {
        if (stats.getIsFinal()) {
            return stats.getWindowEnd().toEpochMilli();
        }
        return stats.getAsOf() != null ? stats.getAsOf().toEpochMilli() : recordTimestamp;
    }

    /**
     * Whether a change rule's open episode belongs to a detector the rule's new change settings
     * replace: the new detector learns its baseline again, so the episode ends now instead of
     * staying open through the warm-up. Reads the detector only when the rule changed.
     */
    private boolean detectorRestarts(String key, Rule rule, Episode episode) {
        if (!rule.isChange() || episode.ruleFingerprint().equals(rule.fingerprint())) {
            return false;
        }
        DetectorState detector = detectors.get(key);
        return detector != null && !detector.settings().equals(ChangeDetector.settingsOf(rule.metric().name(), rule.change().get()));
    }

    /** The detector after observing {@code value}, or null when its sample slot was already observed. */
    private DetectorState observe(String key, Rule rule, double value, long at) {
        ChangeDetection change = rule.change().orElseThrow();
        Long observed = observedSlots.get(key);
        if (observed != null && ChangeDetector.slotOf(change, at) <= observed) {
            return null;
        }
        String settings = ChangeDetector.settingsOf(rule.metric().name(), change);
        DetectorState next = ChangeDetector.observe(change, settings, detectors.get(key), value, at).orElse(null);
        if (next != null) {
            detectors.put(key, next);
            observedSlots.put(key, next.slot());
        }
        return next;
    }

    private CommodityCursor cursorOf(String hs) {
        CommodityCursor cursor = decodedCursors.get(hs);
        if (cursor == null) {
            cursor = cursors.get(hs);
            if (cursor != null) {
                decodedCursors.put(hs, cursor);
            }
        }
        return cursor;
    }

    private void putCursor(String hs, CommodityCursor cursor) {
        cursors.put(hs, cursor);
        decodedCursors.put(hs, cursor);
    }

    /** Wall clock: applies rule changes and deletions to open episodes, and closes episodes of quiet commodities. */
    void reconcile(long wallNow) {
        Map<String, Rule> rules = ruleBook.current();
        for (KeyValue<String, Episode> entry : allEpisodes()) {
            String key = entry.key;
            Episode episode = entry.value;
            String hs = key.substring(0, key.indexOf('|'));
            String ruleId = key.substring(key.indexOf('|') + 1);
            CommodityCursor cursor = cursorOf(hs);
            StatsSnapshot snapshot = cursor == null ? null : cursor.latest();
            long at = cursor == null ? episode.lastEvaluatedAt() : cursor.now();
            Rule rule = rules.get(ruleId);
            if (rule == null) {
                closeDeleted(key, ruleId, episode, snapshot, at);
            } else if (!rule.enabled()) {
                close(key, rule, episode, snapshot, at, "the rule was disabled");
            } else if (!rule.selector().matches(hs, catalogue)) {
                close(key, rule, episode, snapshot, at, "the rule no longer selects this commodity");
            } else if (!continues(episode, rule)) {
                close(key, rule, episode, snapshot, at, "the rule changed its metric or comparison");
            } else if (settings.quietByWallClock() && cursor != null && wallNow - cursor.lastSeenWallMs() >= quietAfter(rule).toMillis()) {
                close(key, rule, episode, snapshot, at, "no stats for this commodity for " + Durations.format(quietAfter(rule))
                        + " (wall clock)");
            } else if (detectorRestarts(key, rule, episode)) {
                close(key, rule, episode, snapshot, at, DETECTOR_RESTART);
            } else if (!episode.ruleFingerprint().equals(rule.fingerprint())) {
                reassess(key, rule, episode, snapshot);
            }
        }
        forgetDetectorsOfRemovedRules(rules);
    }

    /**
     * Deletes the detector state of change rules that were deleted, became threshold rules or no
     * longer select the commodity. Runs after the episodes were closed (their RESOLVED explains
     * itself with the detector), and only when the rules changed.
     */
    private void forgetDetectorsOfRemovedRules(Map<String, Rule> rules) {
        if (rules.equals(rulesAtLastCleanup)) {
            return;
        }
        rulesAtLastCleanup = rules;
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, DetectorState> it = detectors.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                Rule rule = rules.get(key.substring(key.indexOf('|') + 1));
                if (rule == null || !rule.isChange() || !rule.selector().matches(key.substring(0, key.indexOf('|')), catalogue)) {
                    stale.add(key);
                }
            }
        }
        stale.forEach(key -> {
            detectors.delete(key);
            observedSlots.remove(key);
        });
    }

    /**
     * A rule's thresholds changed while an episode is open: the episode continues under the new
     * rule (same alert id). A pending episode whose last value no longer meets the new fire
     * threshold ends; a firing one whose last value is past the new resolve threshold resolves now
     * unless keep_firing_for grants time; anything else waits for the next stats record.
     */
    private void reassess(String key, Rule rule, Episode episode, StatsSnapshot snapshot) {
        if (!episode.firing()) {
            if (rule.fires(episode.lastValue())) {
                putEpisode(key, withFingerprint(episode, rule));
            } else {
                deleteEpisode(key);
            }
            return;
        }
        if (rule.staysFiring(episode.lastValue()) || !rule.keepFiringFor().isNone()) {
            putEpisode(key, withFingerprint(episode, rule));
            return;
        }
        close(key, rule, episode, snapshot, episode.lastEvaluatedAt(), "the rule changed: the last value "
                + Numbers.format(episode.lastValue()) + " is past the new resolve threshold " + Numbers.format(rule.resolve()));
    }

    private static Episode withFingerprint(Episode e, Rule rule) {
        return new Episode(e.phase(), e.episodeStart(), e.holdCount(), e.firingSince(), e.clearedSince(), e.clearedCount(),
                e.lastEvaluatedAt(), e.lastValue(), e.metric(), e.comparison(), rule.fingerprint(), e.alertId());
    }

    private void apply(String key, Rule rule, Step step, StatsSnapshot snapshot) {
        step.next().ifPresentOrElse(next -> putEpisode(key, next), () -> deleteEpisode(key));
        step.transition().ifPresent(t -> {
            DetectorState detector = rule.isChange() ? detectors.get(key) : null;
            DisruptionAlert alert = alerts.create(rule, t, snapshot, context.currentSystemTimeMs(), detector);
            context.forward(new Record<>(alert.getHsCode(), alert, t.at()));
        });
    }

    private void close(String key, Rule rule, Episode episode, StatsSnapshot snapshot, long at, String reason) {
        Step step = RuleStateMachine.close(episode, rule.resolve(), at, reason);
        if (step.transition().isPresent() && snapshot == null) {
            snapshot = emptySnapshot(key.substring(0, key.indexOf('|')), at);
        }
        apply(key, rule, step, snapshot);
    }

    /**
     * The rule is gone; its last definition lives on in the episode's fingerprint (the rule's
     * canonical JSON), so the RESOLVED carries the same severity, labels and annotations as the
     * FIRING and is routed to the same receivers.
     */
    private void closeDeleted(String key, String ruleId, Episode episode, StatsSnapshot snapshot, long at) {
        Rule last;
        try {
            last = parser.parseOne(episode.ruleFingerprint(), "deleted rule " + ruleId);
        } catch (RuleFileException e) {
            last = DeletedRule.of(ruleId, episode); // e.g. a commodity group the catalogue no longer has
        }
        close(key, last, episode, snapshot, at, "the rule was deleted");
    }

    private static boolean continues(Episode episode, Rule rule) {
        return episode.metric().equals(rule.metric().name()) && episode.comparison().equals(rule.comparison().symbol());
    }

    private Duration quietAfter(Rule rule) {
        return rule.quietAfter().orElse(settings.quietAfter());
    }

    private SortedMap<String, Episode> episodesOf(String hs) {
        SortedMap<String, Episode> byRule = decodedEpisodes.get(hs);
        if (byRule == null) {
            byRule = new TreeMap<>();
            try (KeyValueIterator<String, Episode> it = episodes.prefixScan(hs + "|", new org.apache.kafka.common.serialization.StringSerializer())) {
                while (it.hasNext()) {
                    KeyValue<String, Episode> e = it.next();
                    byRule.put(e.key.substring(e.key.indexOf('|') + 1), e.value);
                }
            }
            decodedEpisodes.put(hs, byRule);
        }
        return byRule;
    }

    private Episode episode(String hs, String ruleId) {
        return episodesOf(hs).get(ruleId);
    }

    private void putEpisode(String key, Episode episode) {
        episodes.put(key, episode);
        episodesOf(key.substring(0, key.indexOf('|'))).put(key.substring(key.indexOf('|') + 1), episode);
    }

    private void deleteEpisode(String key) {
        if (episodesOf(key.substring(0, key.indexOf('|'))).remove(key.substring(key.indexOf('|') + 1)) != null) {
            episodes.delete(key);
        }
    }

    private List<KeyValue<String, Episode>> allEpisodes() {
        List<KeyValue<String, Episode>> out = new ArrayList<>();
        try (KeyValueIterator<String, Episode> it = episodes.all()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static StatsSnapshot emptySnapshot(String hs, long at) {
        return new StatsSnapshot(hs, at, at, false, 0, null, null, null, 0, 0, null, 0, 0, null, List.of(), Map.of(), null);
    }

    static String key(String hs, String ruleId) {
        return hs + "|" + ruleId;
    }
}
