package io.chokepoint.rules.backtest;

import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.offline.Replay;
import io.chokepoint.streams.StreamsSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

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
        // live updates are of no use to the evaluator (it reads final records): never flush them
        this.streamsSettings = streamsSettings.withEmitInterval(Duration.ofDays(36500));
    }

    public BacktestReport run(List<Path> historyFiles, Duration flapWindow, Consumer<String> rejects) throws IOException {
        List<HistoryFile> files = new ArrayList<>();
        long events = 0;
        long stats = 0;
        Instant first = null;
        Instant last = null;
        List<DisruptionAlert> alerts = new ArrayList<>();
        long[] rejected = {0};
        Consumer<String> countingRejects = r -> {
            rejected[0]++;
            rejects.accept(r);
        };
        long started = System.nanoTime();
        try (Replay replay = Replay.ofHistory(rules, ruleSettings, streamsSettings)) {
            for (Path p : historyFiles) {
                files.add(HistoryFile.open(p, countingRejects));
            }
            PriorityQueue<HistoryFile> queue = new PriorityQueue<>(Comparator.comparing((HistoryFile f) -> f.peek().eventTime()));
            files.stream().filter(HistoryFile::hasNext).forEach(queue::add);
            while (!queue.isEmpty()) {
                HistoryFile f = queue.poll();
                HistoryEvent e = f.next();
                replay.pipeEvent(e.event(), e.eventTime());
                events++;
                first = first == null || e.eventTime().isBefore(first) ? e.eventTime() : first;
                last = last == null || e.eventTime().isAfter(last) ? e.eventTime() : last;
                if (f.hasNext()) {
                    queue.add(f);
                }
                if (events % 10_000 == 0) {
                    replay.drainAlerts().forEach(r -> alerts.add(r.value()));
                    stats += replay.drainStatsCount();
                }
            }
            // close every remaining window: the aggregation moves a quiet partition's time on by the wall clock
            Duration closeAll = streamsSettings.windowSize().plus(streamsSettings.grace()).plus(streamsSettings.windowAdvance());
            replay.advanceWallClock(closeAll);
            replay.drainAlerts().forEach(r -> alerts.add(r.value()));
            stats += replay.drainStatsCount();
        } finally {
            files.forEach(HistoryFile::close);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return BacktestReport.of(alerts, rules, new BacktestReport.Run(historyFiles.stream().map(Path::toString).toList(),
                events, rejected[0], stats, first, last, took), flapWindow);
    }
}
