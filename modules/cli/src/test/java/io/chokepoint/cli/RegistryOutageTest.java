package io.chokepoint.cli;

import io.chokepoint.cli.DelayHistory.Arrival;
import io.chokepoint.cli.DelayHistory.Transition;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.SchemaRegistryServer;
import io.chokepoint.devcluster.junit.ReliabilityReport;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema registry down for 30 s while a {@code streams} instance (child JVM, with a rule) runs
 * under load. While every schema it meets is one it already read, the instance does not notice:
 * finals and alerts keep being committed. A record with a schema it has not read yet (a tariff
 * change, serialised before the outage) makes it retry and then stop, loudly, as documented,
 * without dead-lettering the record; started again once the registry is back, it resumes from its
 * last commit. Afterwards every final and every alert transition is exactly the independent
 * computation's, once, and nothing is in the dead-letter topic.
 */
class RegistryOutageTest {

    private static final int DAYS = 6;
    private static final int COMMODITIES = 8;
    private static final String RULE = "outage-mean-delay";
    private static final double FIRE = 20;
    private static final double RESOLVE = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void nothingIsLostOrDeadLetteredWhileTheRegistryIsDown() throws Exception {
        List<String> commodities = DelayHistory.commodities(COMMODITIES);
        List<Arrival> history = DelayHistory.generate(commodities, DAYS);
        Map<String, List<Arrival>> expectedWindows = DelayHistory.windows(history);
        List<Transition> expectedAlerts = DelayHistory.transitions(expectedWindows, FIRE, RESOLVE);
        int half = history.size() / 2;
        int threeQuarters = history.size() * 3 / 4;
        int port = ChokepointProcesses.freePort();
        Path registryDir = dir.resolve("registry");

        try (DevCluster cluster = DevCluster.start();
             ChokepointProcesses processes = new ChokepointProcesses(dir)) {
            SchemaRegistryServer registry = SchemaRegistryServer.start(Optional.empty(), port, registryDir, Duration.ofMinutes(2));
            try {
                ChokepointConfig settings = ChokepointConfig.of(Map.of(ChokepointConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                        ChokepointConfig.SCHEMA_REGISTRY_URL, registry.url()));
                Topics topics = settings.topics();
                Path config = config(cluster.bootstrapServers(), registry.url());
                InProcessCli.Run created = InProcessCli.run(config, "topics", "create");
                assertThat(created.exit()).as(created.err()).isZero();
                ChokepointProcesses.Child streams = startStreams(processes, config);
                DelayHistory.awaitStreamsMembers(settings, 1, Duration.ofSeconds(120));

                // serialised while the registry is up; stamped inside the history, so it moves no partition's time past it
                Arrival at = history.get(threeQuarters);
                TariffChange raise = TariffChange.newBuilder().setEventId("outage-tariff").setChangeId("T-OUT")
                        .setAnnouncedAt(Instant.ofEpochMilli(at.at())).setEffectiveAt(Instant.ofEpochMilli(at.at()))
                        .setImposingCountry("US").setTargetCountry("CN").setHsCode(at.hs()).setPreviousRatePct(10.0).setNewRatePct(110.0)
                        .setMeasure(TariffMeasure.INCREASE).build();
                byte[] tariff = topics.tariffChanges().valueSerde().serializer().serialize(topics.tariffChanges().name(), raise);

                long finalsBefore;
                long finalsDuringOutage;
                long stoppedAfterMs;
                try (KafkaProducer<String, ShipmentMilestone> producer = DelayHistory.producer(settings, topics);
                     KafkaProducer<String, byte[]> raw = DelayHistory.rawProducer(settings)) {
                    history.subList(0, half).forEach(a -> DelayHistory.send(producer, topics, a));
                    producer.flush();
                    // the first FIRING committed: the instance has read every schema of the milestone path, output included
                    assertThat(DelayHistory.readCommitted(settings, topics.disruptionAlerts(), 1, a -> a.getRuleId().equals(RULE)))
                            .as("an alert before the outage").isNotEmpty();
                    finalsBefore = committedCount(settings, topics.commodityDelayStats().name());

                    registry.close();
                    long down = System.nanoTime();
                    for (int i = half; i < threeQuarters; i++) {
                        DelayHistory.send(producer, topics, history.get(i));
                        if (i % 50 == 49) {
                            producer.flush();
                            Thread.sleep(100);
                        }
                    }
                    producer.flush();
                    Thread.sleep(3_000);
                    finalsDuringOutage = committedCount(settings, topics.commodityDelayStats().name()) - finalsBefore;
                    assertThat(streams.process().isAlive()).as("an instance with every schema it meets rides the outage out").isTrue();

                    raw.send(new ProducerRecord<>(topics.tariffChanges().name(), null, at.at(), at.hs(), tariff)).get();
                    long tariffSent = System.nanoTime();
                    assertThat(streams.process().waitFor(60, TimeUnit.SECONDS)).as("the instance stops on a schema it cannot read").isTrue();
                    stoppedAfterMs = Duration.ofNanos(System.nanoTime() - tariffSent).toMillis();
                    assertThat(streams.process().exitValue()).isEqualTo(1);
                    assertThat(streams.err()).contains("schema registry unavailable for topic '" + topics.tariffChanges().name() + "'",
                            "chokepoint streams: stopped after a failure:");

                    long remaining = OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - down).toMillis();
                    if (remaining > 0) {
                        Thread.sleep(remaining);
                    }
                    registry = SchemaRegistryServer.start(Optional.empty(), port, registryDir, Duration.ofMinutes(2));
                    streams = startStreams(processes, config);
                    history.subList(threeQuarters, history.size()).forEach(a -> DelayHistory.send(producer, topics, a));
                    DelayHistory.sendTail(producer, topics, commodities, history);
                }
                long producedAt = System.nanoTime();

                List<CommodityDelayStats> finals = DelayHistory.readCommitted(settings, topics.commodityDelayStats(), expectedWindows.size(),
                        s -> true);
                Duration caughtUp = Duration.ofNanos(System.nanoTime() - producedAt);
                List<DisruptionAlert> alerts = DelayHistory.readCommitted(settings, topics.disruptionAlerts(), expectedAlerts.size(),
                        a -> a.getRuleId().equals(RULE));
                List<DeadLetter> deadLetters = DelayHistory.readCommitted(settings, topics.deadLetters(), 0, d -> true);

                ReliabilityReport.of("registry-outage", "The schema registry down for " + OUTAGE.toSeconds() + " s (RegistryOutageTest)")
                        .table("events in", "fault", "finals committed while down", "instance", "finals (expected)", "alerts (expected)",
                                "dead letters", "lost", "duplicated", "all finals committed after the last event")
                        .row(String.format("%,d", history.size() + commodities.size() + 1), "registry stopped for " + OUTAGE.toSeconds() + " s",
                                finalsDuringOutage, String.format("stopped %,d ms", stoppedAfterMs) + " after a record with a schema it had not read (exit 1); restarted",
                                String.format("%,d (%,d)", finals.size(), expectedWindows.size()),
                                String.format("%d (%d)", alerts.size(), expectedAlerts.size()), deadLetters.size(),
                                DelayHistory.lostWindows(finals, expectedWindows), DelayHistory.duplicatedWindows(finals), caughtUp.toSeconds() + " s")
                        .write();

                DelayHistory.assertFinals(finals, expectedWindows);
                assertThat(alerts.stream().map(a -> new Transition(a.getHsCode(), a.getState(), a.getWindowStart().toEpochMilli())).toList())
                        .as("each expected transition exactly once").containsExactlyInAnyOrderElementsOf(expectedAlerts);
                assertThat(deadLetters).as("nothing dead-lettered for the outage").isEmpty();
                assertThat(finals.stream().filter(s -> s.getHsCode().equals(at.hs()) && Double.valueOf(110.0).equals(s.getCurrentTariffPct())))
                        .as("the tariff change that stopped the instance was read after its restart").isNotEmpty();
                assertThat(finalsDuringOutage).as("finals committed while the registry was down").isPositive();

                System.out.printf("[registry-outage] %,d events; registry down %d s: %,d finals committed meanwhile, the instance stopped"
                                + " %,d ms after a record with a schema it had not read (exit 1, documented message, no dead letter), restarted"
                                + " once the registry was back; %,d finals and %,d alerts as expected, 0 dead letters; all finals committed"
                                + " %d s after the last event%n",
                        history.size() + commodities.size() + 1, OUTAGE.toSeconds(), finalsDuringOutage, stoppedAfterMs, finals.size(),
                        alerts.size(), caughtUp.toSeconds());
            } finally {
                registry.close();
            }
        }
    }

    private Path config(String bootstrap, String registryUrl) throws Exception {
        return DelayHistory.meanDelayConfig(dir, bootstrap, registryUrl, RULE, FIRE, RESOLVE, """
                # the stopped instance does not leave the group: its successor waits this long, not Kafka's 45 s, for its partitions
                kafka.session.timeout.ms: 6000
                """);
    }

    private ChokepointProcesses.Child startStreams(ChokepointProcesses processes, Path config) throws Exception {
        return processes.start("streams", config, "streams", "--state-dir", dir.resolve("streams-state").toString(), "--http-port", "-1");
    }


    /** Records committed to a topic so far: the sum of its partitions' last stable offsets (transaction markers included). */
    private static long committedCount(ChokepointConfig config, String topic) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
