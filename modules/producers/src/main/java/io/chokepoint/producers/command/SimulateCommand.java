package io.chokepoint.producers.command;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.EventPublisher;
import io.chokepoint.producers.PublishException;
import io.chokepoint.producers.simulator.Scenario;
import io.chokepoint.producers.simulator.ScenarioException;
import io.chokepoint.producers.simulator.ScenarioLoader;
import io.chokepoint.producers.simulator.SequenceDigest;
import io.chokepoint.producers.simulator.Simulator;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code chokepoint simulate --scenario trade-war-2025}: play a scenario into the input topics. */
@Command(name = "simulate",
        description = {"Play a trade scenario as a deterministic stream of events: shipment milestones, licence decisions and "
                + "tariff changes. The scenario is built in (trade-war-2025, or calm-2025: the same lanes for a year without any "
                + "shock) or your own YAML file (see SCENARIOS.md). Events carry story time (2025) as their timestamps; --speed "
                + "only decides how fast they are sent. With --live they carry the wall-clock time they are sent, as a production "
                + "feed would. The same seed gives a byte-identical sequence."},
        footer = {"", "Examples:",
                "  chokepoint simulate --scenario trade-war-2025    # a story day every 3 s",
                "  chokepoint simulate --scenario trade-war-2025 --speed 0    # flat out",
                "  chokepoint simulate --live    # the story as if it happened now, a story day every 3 s",
                "  chokepoint simulate --scenario my-story.yaml --seed 7 --rate 500 --duration 2m",
                "  chokepoint simulate --dry-run    # count events, print their digest, at once"})
public final class SimulateCommand implements Callable<Integer> {

    /** One story day every three seconds: the four-month story plays in about six minutes. */
    static final double DEFAULT_SPEED = 86_400.0 / 3;

    /** Set by the CLI before {@link #call()}. */
    public ChokepointConfig config;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--scenario", paramLabel = "NAME|FILE", defaultValue = "trade-war-2025",
            description = "built-in scenario name or YAML file (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--speed", paramLabel = "N",
            description = "story seconds per wall-clock second; 0 = no pacing (default: 28800, a day every 3 s; with --dry-run: 0)")
    Double speed;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: the scenario's own)")
    Long seed;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0", description = "at most R events per second; 0 = unlimited")
    double rate;

    @Option(names = "--duration", paramLabel = "D", description = "stop after this wall-clock time, e.g. 90s, 5m")
    String duration;

    @Option(names = "--dry-run", description = "generate without publishing; print the event count and the sequence digest")
    boolean dryRun;

    @Option(names = "--live", description = "stamp each event with the time it is sent (delays and notice periods kept, "
            + "identifiers tagged per run), so alerts fire on the wall clock; default: story time")
    boolean live;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        Scenario story;
        Optional<Duration> limit;
        try {
            story = ScenarioLoader.load(scenario);
            limit = duration == null ? Optional.empty() : Optional.of(ChokepointConfig.parseDuration("--duration", duration));
        } catch (ScenarioException | ChokepointConfig.ConfigProblem e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        // a dry run sends nothing, so pacing it would only make the user wait; --speed still paces it when given
        double pace = speed != null ? speed : dryRun ? 0 : DEFAULT_SPEED;
        if (pace < 0 || rate < 0 || Double.isNaN(pace) || Double.isNaN(rate)) {
            err.println("error: --speed and --rate must be 0 (unlimited) or positive");
            return 2;
        }
        long usedSeed = seed == null ? story.seed() : seed;
        Simulator simulator = new Simulator(story, new Simulator.Options(usedSeed, pace, rate, limit, live && !dryRun), err);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.stop(); // Ctrl-C: stop after the current event, flush what was sent
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return dryRun ? dryRun(story, simulator, usedSeed) : publish(story, simulator, usedSeed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        } catch (ChokepointConfig.ConfigProblem e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (PublishException | KafkaException | IllegalStateException e) {
            err.println("error: simulating " + story.name() + " failed: " + e.getMessage());
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook is running and sees the latch
            }
        }
    }

    private int dryRun(Scenario story, Simulator simulator, long usedSeed) throws InterruptedException {
        SequenceDigest digest = new SequenceDigest();
        Simulator.Result result = simulator.run(digest::add);
        out.println(summary(story, usedSeed, result, "generated") + ", sha256 " + digest.hex());
        return 0;
    }

    private int publish(Scenario story, Simulator simulator, long usedSeed) throws InterruptedException {
        TopicSetup.ensure(config);
        try (EventPublisher publisher = EventPublisher.create(config, EventPublisher.Mode.IDEMPOTENT)) {
            Simulator.Result result = simulator.run(event -> event.publishTo(publisher));
            publisher.flush();
            out.println(summary(story, usedSeed, result, "published"));
        }
        return 0;
    }

    private static String summary(Scenario story, long usedSeed, Simulator.Result result, String verb) {
        return String.format(Locale.ROOT, "%s (seed %d): %s %,d events, story %s to %s%s, in %.1f s (%,.0f events/s)",
                story.name(), usedSeed, verb, result.events(), story.start().toString().substring(0, 10),
                result.lastStoryTime().toString().substring(0, 16).replace('T', ' '),
                result.storyFinished() ? "" : " (stopped early)", result.took().toNanos() / 1e9, result.eventsPerSecond());
    }
}
