package io.chokepoint.cli;

import io.chokepoint.cli.DelayHistory.Arrival;
import io.chokepoint.cli.DelayHistory.Transition;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.DevClusterOptions;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out and a node failure under load, on a 3-node cluster (replication factor 3,
 * {@code min.insync.replicas} 2): a generated history is produced at a steady rate while the
 * streams application (with a rule) grows from one instance to two, then three (child JVMs),
 * and then one Kafka node is stopped without a controlled shutdown and started again. A sampler
 * reads the group's committed input offsets every 200 ms: for each step the test prints the
 * committed rate and the rebalance pause (the longest time the committed offsets stood still
 * while input waited). Afterwards every commodity-window has exactly one final equal to the
 * independent computation, and each expected FIRING/RESOLVED is on the alert topic once.
 */
class ScaleOutTest {

    private static final int DAYS = 12;
    private static final int COMMODITIES = 12;
    private static final String RULE = "scale-out-mean-delay";
    private static final double FIRE = 20;
    private static final double RESOLVE = 10;
    /** Offered load: what one instance keeps up with here while the cluster, the registry and two more JVMs share the 2 cores. */
    private static final int EVENTS_PER_SECOND = 300;
    private static final int STOPPED_NODE = 3;
    /** How long each step of the load runs before the next change. */
    private static final Duration STEP = Duration.ofSeconds(7);

    @TempDir
    Path dir;

    private record Step(String name, long fromNanos, long toNanos) {
    }

    @Test
    void instancesJoinAndANodeStopsUnderLoadWithoutLossOrDuplicates() throws Exception {
        List<String> commodities = DelayHistory.commodities(COMMODITIES);
        List<Arrival> history = DelayHistory.generate(commodities, DAYS);
        Map<String, List<Arrival>> expectedWindows = DelayHistory.windows(history);
        List<Transition> expectedAlerts = DelayHistory.transitions(expectedWindows, FIRE, RESOLVE);

        try (DevCluster cluster = DevCluster.start(DevClusterOptions.defaults().withBrokers(3));
             ChokepointProcesses processes = new ChokepointProcesses(dir)) {
            Path config = config(cluster);
            InProcessCli.Run created = InProcessCli.run(config, "topics", "create");
            assertThat(created.exit()).as(created.err()).isZero();
            ChokepointConfig settings = cluster.config().with(Map.of("topic.replication.factor", "3"));
            Topics topics = settings.topics();

            List<ChokepointProcesses.Child> instances = new ArrayList<>();
            instances.add(startStreams(processes, config, "streams-1"));
            DelayHistory.awaitStreamsMembers(settings, 1, Duration.ofSeconds(120));

            List<Step> steps = new ArrayList<>();
            try (CommitSampler sampler = new CommitSampler(settings, topics.shipmentMilestones().name());
                 KafkaProducer<String, ShipmentMilestone> producer = DelayHistory.producer(settings, topics)) {
                int n = history.size();
                CompletableFuture<Void> load = CompletableFuture.runAsync(() -> produceSteadily(producer, topics, history));
                // every STEP of the load: a second instance starts, a third, a node stops, the node comes back
                String[] names = {"1 instance", "1 → 2 instances", "2 → 3 instances", "node " + STOPPED_NODE + " stopped", "node back"};
                long stepStart = System.nanoTime();
                for (int mark = 0; mark < 4; mark++) {
                    Thread.sleep(STEP.toMillis());
                    assertThat(load).as("the load outlasts the steps").isNotDone();
                    steps.add(new Step(names[mark], stepStart, System.nanoTime()));
                    stepStart = System.nanoTime();
                    switch (mark) {
                        case 0, 1 -> instances.add(startStreams(processes, config, "streams-" + (instances.size() + 1)));
                        case 2 -> cluster.stopKafkaNode(STOPPED_NODE);
                        default -> cluster.startKafkaNode(STOPPED_NODE, Duration.ofSeconds(60));
                    }
                }
                load.get(5, TimeUnit.MINUTES);
                DelayHistory.sendTail(producer, topics, commodities, history);
                steps.add(new Step(names[4], stepStart, System.nanoTime()));
                long producedAt = System.nanoTime();

                List<CommodityDelayStats> finals = DelayHistory.readCommitted(settings, topics.commodityDelayStats(),
                        expectedWindows.size(), r -> true);
                long caughtUp = System.nanoTime() - producedAt;
                List<DisruptionAlert> alerts = DelayHistory.readCommitted(settings, topics.disruptionAlerts(), expectedAlerts.size(),
                        alert -> alert.getRuleId().equals(RULE));
                List<DeadLetter> deadLetters = DelayHistory.readCommitted(settings, topics.deadLetters(), 0, d -> true);

                for (Step step : steps) {
                    // a change's pause can reach into the next step: look 10 s past the change
                    long pause = sampler.longestStandStill(step.fromNanos(), step.fromNanos() + TimeUnit.SECONDS.toNanos(10));
                    System.out.printf("[scale-out] %-16s %5.1f s  offered %,d events/s, committed %s events/s; in the 10 s from its start:"
                                    + " longest stand-still of committed offsets with input waiting %,5d ms, offsets unreadable %,5d ms%n",
                            step.name(), (step.toNanos() - step.fromNanos()) / 1e9, EVENTS_PER_SECOND,
                            sampler.rate(step.fromNanos(), step.toNanos()), pause,
                            sampler.unreadable(step.fromNanos(), step.fromNanos() + TimeUnit.SECONDS.toNanos(10)));
                }
                System.out.printf("[scale-out] %,d events, 1 → 3 instances, node %d stopped for %.0f s; %,d finals and %,d alerts as expected,"
                                + " none lost, none duplicated; all finals committed %d s after the last event%n",
                        n + commodities.size(), STOPPED_NODE, (steps.get(4).fromNanos() - steps.get(3).fromNanos()) / 1e9,
                        finals.size(), alerts.size(), TimeUnit.NANOSECONDS.toSeconds(caughtUp));

                DelayHistory.assertFinals(finals, expectedWindows);
                assertThat(alerts.stream().map(x -> new Transition(x.getHsCode(), x.getState(), x.getWindowStart().toEpochMilli())).toList())
                        .as("each expected transition exactly once").containsExactlyInAnyOrderElementsOf(expectedAlerts);
                assertThat(deadLetters).as("valid events only: no dead letter").isEmpty();
                DelayHistory.awaitStreamsMembers(settings, 3, Duration.ofSeconds(60));
                for (ChokepointProcesses.Child instance : instances) {
                    assertThat(instance.process().isAlive()).as(instance.name() + " still running; stderr:\n" + instance.err()).isTrue();
                }
            }
        }
    }

    /** The history at {@link #EVENTS_PER_SECOND}, flushed every 50 events. */
    private static void produceSteadily(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, List<Arrival> history) {
        long started = System.nanoTime();
        for (int i = 0; i < history.size(); i++) {
            DelayHistory.send(producer, topics, history.get(i));
            if (i % 50 == 49) {
                producer.flush();
                long wait = started + (long) ((i + 1) * 1e9 / EVENTS_PER_SECOND) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        producer.flush();
    }

    private Path config(DevCluster cluster) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, DelayHistory.meanDelayRule(RULE, FIRE, RESOLVE));
        Path config = dir.resolve("chokepoint.yaml");
        Files.writeString(config, """
                bootstrap.servers: %s
                schema.registry.url: %s
                topic.replication.factor: 3
                rules.files: %s
                """.formatted(cluster.bootstrapServers(), cluster.schemaRegistryUrl(), rules));
        return config;
    }

    private ChokepointProcesses.Child startStreams(ChokepointProcesses processes, Path config, String name) throws Exception {
        return processes.start(name, config, "streams", "--state-dir", dir.resolve(name).toString(), "--http-port", "-1");
    }

    /** Samples the streams group's committed offsets and the end offsets of an input topic on a thread of its own. */
    private static final class CommitSampler implements AutoCloseable {
        /** {@code committed} is -1 when the offsets could not be read (the group coordinator was on the stopped node). */
        private record Sample(long nanos, long committed, long end) {
            boolean read() {
                return committed >= 0;
            }
        }

        private final Admin admin;
        private final String topic;
        private final List<Sample> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        CommitSampler(ChokepointConfig config, String topic) {
            this.admin = Admin.create(config.kafkaClientProperties());
            this.topic = topic;
            this.thread = new Thread(this::run, "commit-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("chokepoint-streams")
                            .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                    List<TopicPartition> partitions = committed.keySet().stream().filter(tp -> tp.topic().equals(topic)).toList();
                    long sumCommitted = partitions.stream().mapToLong(tp -> committed.get(tp).offset()).sum();
                    long sumEnd = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest())))
                            .all().get(5, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
                    synchronized (samples) {
                        samples.add(new Sample(System.nanoTime(), sumCommitted, sumEnd));
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    synchronized (samples) {
                        samples.add(new Sample(System.nanoTime(), -1, -1));
                    }
                }
            }
        }

        private List<Sample> between(long from, long to) {
            synchronized (samples) {
                return samples.stream().filter(s -> s.nanos() >= from && s.nanos() <= to && s.read()).toList();
            }
        }

        /** How long the offsets could not be read within the interval. */
        long unreadable(long from, long to) {
            synchronized (samples) {
                long total = 0;
                Sample previous = null;
                for (Sample s : samples) {
                    if (s.nanos() >= from && s.nanos() <= to && previous != null && !s.read()) {
                        total += s.nanos() - previous.nanos();
                    }
                    previous = s;
                }
                return TimeUnit.NANOSECONDS.toMillis(total);
            }
        }

        String rate(long from, long to) {
            List<Sample> in = between(from, to);
            if (in.size() < 2) {
                return "n/a";
            }
            Sample first = in.get(0);
            Sample last = in.get(in.size() - 1);
            return String.format("%,.0f", (last.committed() - first.committed()) / ((last.nanos() - first.nanos()) / 1e9));
        }

        /**
         * The longest time within the interval that committed offsets did not move while the input
         * held more; a span in which they could not be read counts when they had not moved across it.
         */
        long longestStandStill(long from, long to) {
            List<Sample> in = between(from, to);
            long longest = 0;
            Sample still = null;
            for (Sample s : in) {
                if (still != null && s.committed() == still.committed()) {
                    longest = Math.max(longest, s.nanos() - still.nanos());
                } else {
                    still = s.end() > s.committed() ? s : null;
                }
            }
            return TimeUnit.NANOSECONDS.toMillis(longest);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(10_000);
            admin.close(Duration.ofSeconds(5));
        }
    }
}
