package io.chokepoint.producers.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Plays a scenario in (compressed) real time: story time runs {@code speed} times faster than
 * the wall clock, at most {@code rate} events per second, for at most {@code duration}. Speed 0
 * and rate 0 mean "as fast as possible". The pacing only delays sends; the events themselves —
 * their content and their record timestamps (story time) — are the same at any speed.
 */
public final class Simulator {

    /**
     * @param speed    story seconds per wall-clock second; 0 = no pacing
     * @param rate     events per second at most; 0 = unlimited
     * @param duration wall-clock time limit; empty = until the story ends
     */
    /** @param live stamp each event with the wall-clock time it is sent (see {@link LiveStory}) instead of its story time */
    public record Options(long seed, double speed, double rate, Optional<Duration> duration, boolean live) {
        public Options {
            if (speed < 0 || rate < 0) {
                throw new IllegalArgumentException("speed and rate must be 0 (unlimited) or positive");
            }
        }

        public Options(long seed, double speed, double rate, Optional<Duration> duration) {
            this(seed, speed, rate, duration, false);
        }
    }

    /** What a run did. */
    public record Result(long events, Instant lastStoryTime, Duration took, boolean storyFinished) {
        public double eventsPerSecond() {
            return events / Math.max(took.toNanos() / 1e9, 1e-9);
        }
    }

    private static final long STATUS_INTERVAL_NS = 5_000_000_000L;

    private final Scenario scenario;
    private final Options options;
    private final PrintStream status;
    private volatile boolean stopped;

    /** @param status periodic progress lines, or {@code null} for none */
    public Simulator(Scenario scenario, Options options, PrintStream status) {
        this.scenario = scenario;
        this.options = options;
        this.status = status;
    }

    /** Ends a running simulation after the current event (e.g. from a shutdown hook). */
    public void stop() {
        stopped = true;
    }

    public Result run(Consumer<SimEvent> sink) throws InterruptedException {
        StoryGenerator story = new StoryGenerator(scenario, options.seed());
        long startNs = System.nanoTime();
        long storyStartMs = scenario.start().toEpochMilli();
        long deadlineNs = options.duration().map(d -> startNs + d.toNanos()).orElse(Long.MAX_VALUE);
        double nsPerEvent = options.rate() > 0 ? 1e9 / options.rate() : 0;
        long nextStatus = startNs + STATUS_INTERVAL_NS;
        long events = 0;
        long lastStoryMs = storyStartMs;
        LiveStory live = options.live() ? LiveStory.startingAt(Instant.now()) : null;
        while (!stopped && story.hasNext()) {
            SimEvent event = story.next();
            long dueNs = startNs;
            if (options.speed() > 0) {
                dueNs = startNs + (long) ((event.eventTimeMs() - storyStartMs) * 1e6 / options.speed());
            }
            if (nsPerEvent > 0) {
                dueNs = Math.max(dueNs, startNs + (long) (events * nsPerEvent));
            }
            if (dueNs > deadlineNs) {
                return finish(events, lastStoryMs, startNs, false);
            }
            long waitNs = dueNs - System.nanoTime();
            if (waitNs > 1_000_000) {
                Thread.sleep(waitNs / 1_000_000, (int) (waitNs % 1_000_000));
            }
            lastStoryMs = event.eventTimeMs();
            sink.accept(live == null ? event : live.at(event, System.currentTimeMillis()));
            events++;
            if (status != null && (events & 255) == 0 && System.nanoTime() > nextStatus) {
                nextStatus = System.nanoTime() + STATUS_INTERVAL_NS;
                status.println(String.format(Locale.ROOT, "%s: story time %s, %,d events, %,.0f events/s", scenario.name(),
                        Instant.ofEpochMilli(lastStoryMs).toString().substring(0, 16).replace('T', ' '), events,
                        events / ((System.nanoTime() - startNs) / 1e9)));
            }
            if (System.nanoTime() > deadlineNs) {
                return finish(events, lastStoryMs, startNs, false);
            }
        }
        return finish(events, lastStoryMs, startNs, !stopped);
    }

    private static Result finish(long events, long lastStoryMs, long startNs, boolean finished) {
        return new Result(events, Instant.ofEpochMilli(lastStoryMs), Duration.ofNanos(System.nanoTime() - startNs), finished);
    }
}
