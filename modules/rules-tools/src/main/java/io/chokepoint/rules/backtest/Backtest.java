package io.chokepoint.rules.backtest;

import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.producers.importer.BadFileException;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.offline.HistoryReplay;
import io.chokepoint.streams.StreamsSettings;


import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Replays history files through the delay aggregation and the rule evaluation (the production
 * topologies, in-process) and collects every alert that would have been sent.
 *
 * <p>Files are merged by event time, each read in its own order, the way Kafka Streams picks the
 * next record across its input partitions; memory stays constant whatever the history's size. At
 * the end the replay's clock moves past the last window's end + grace, so every window closes and
 * is evaluated; alerts still firing then are reported as open.
 */
public final class Backtest {

    private final RuleSet rules;
    private final RuleSettings ruleSettings;
    private final StreamsSettings streamsSettings;

    public Backtest(RuleSet rules, RuleSettings ruleSettings, StreamsSettings streamsSettings) {
        this.rules = rules;
        this.ruleSettings = ruleSettings.forReplay();
        // the live view after every fact: a replay's wall clock means nothing, so a wall-clock
        // cadence would make the evaluations depend on how fast the replay runs; rules that read
        // only finals need no live view at all
        boolean live = rules.all().stream().anyMatch(r -> r.evaluate() == Rule.Evaluate.LIVE);
        this.streamsSettings = streamsSettings.withEmitInterval(live ? Duration.ZERO : Duration.ofDays(36500));
    }

    /** How long after its end a window closes and its final record is evaluated. */
    public Duration grace() {
        return streamsSettings.grace();
    }

    /** The same backtest with every rule reading final windows only: the baseline of {@link BacktestReport#leadTimes}. */
    public Backtest finalOnly() {
        return new Backtest(RuleSet.of(rules.all().stream().map(r -> r.withEvaluate(Rule.Evaluate.FINAL)).toList()), ruleSettings,
                streamsSettings);
    }

    /**
     * Replays history files, merged by event time. Each file is read by the importers' reader:
     * rejected rows are reported to {@code rejects} (the first {@code maxShown} per file) and in a
     * reject report next to the file; a file that cannot be read at all stops the backtest.
     */
    public BacktestReport run(List<Path> historyFiles, Duration flapWindow, Consumer<String> rejects, int maxShown) throws BadFileException {
        List<HistoryFile> files = new ArrayList<>();
        try {
            for (Path p : historyFiles) {
                files.add(HistoryFile.open(p, rejects, maxShown));
            }
            PriorityQueue<HistoryFile> queue = new PriorityQueue<>(Comparator.comparing((HistoryFile f) -> f.peek().eventTime()));
            files.stream().filter(HistoryFile::hasNext).forEach(queue::add);
            Iterator<HistoryEvent> merged = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return !queue.isEmpty();
                }

                @Override
                public HistoryEvent next() {
                    HistoryFile f = queue.poll();
                    try {
                        HistoryEvent e = f.next();
                        if (f.hasNext()) {
                            queue.add(f);
                        }
                        return e;
                    } catch (BadFileException bad) {
                        throw new UnreadableHistory(bad);
                    }
                }
            };
            try {
                return run(merged, historyFiles.stream().map(Path::toString).toList(), flapWindow,
                        () -> files.stream().mapToLong(HistoryFile::rejectedRows).sum());
            } catch (UnreadableHistory e) {
                throw e.cause;
            }
        } finally {
            files.forEach(HistoryFile::close);
        }
    }

    /** Carries a file found unreadable half-way through the merged iterator. */
    private static final class UnreadableHistory extends RuntimeException {
        private final BadFileException cause;

        UnreadableHistory(BadFileException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** Replays events that arrive in event-time order (a merged history, or a simulator's story). */
    public BacktestReport run(Iterator<HistoryEvent> events, List<String> sources, Duration flapWindow, LongSupplier rejected) {
        long count = 0;
        long stats = 0;
        Instant first = null;
        Instant last = null;
        List<DisruptionAlert> alerts = new ArrayList<>();
        java.util.Set<String> commodities = new java.util.TreeSet<>();
        long started = System.nanoTime();
        try (HistoryReplay replay = HistoryReplay.of(rules, ruleSettings, streamsSettings)) {
            while (events.hasNext()) {
                HistoryEvent e = events.next();
                replay.pipeEvent(e.event(), e.eventTime());
                org.apache.avro.Schema.Field hs = e.event().getSchema().getField("hsCode");
                if (hs != null && e.event().get(hs.pos()) != null) {
                    commodities.add(e.event().get(hs.pos()).toString());
                }
                count++;
                first = first == null || e.eventTime().isBefore(first) ? e.eventTime() : first;
                last = last == null || e.eventTime().isAfter(last) ? e.eventTime() : last;
                if (count % 10_000 == 0) {
                    alerts.addAll(replay.drainAlerts());
                    stats += replay.drainStatsCount();
                }
            }
            // close every remaining window: the aggregation moves a quiet partition's time on by the
            // wall clock. Step by step, as a live wall clock would: one big jump would emit all of one
            // commodity's remaining windows before another's, and the other would look quiet.
            Duration closeAll = streamsSettings.windowSize().plus(streamsSettings.grace()).plus(streamsSettings.windowAdvance());
            for (Duration moved = Duration.ZERO; moved.compareTo(closeAll) < 0; moved = moved.plus(streamsSettings.windowAdvance())) {
                replay.advanceWallClock(streamsSettings.windowAdvance());
            }
            alerts.addAll(replay.drainAlerts());
            stats += replay.drainStatsCount();
        }
        // closing the last windows moves time past the history, where open shipments turn overdue
        // only because the history ends: an episode that starts after the last event is no finding
        Instant end = last;
        alerts.removeIf(a -> end != null && a.getEpisodeStart().isAfter(end));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return BacktestReport.of(alerts, rules, new BacktestReport.Run(sources, count, rejected.getAsLong(), stats, first, last, took,
                        java.util.Set.copyOf(commodities)),
                flapWindow);
    }
}
