package io.chokepoint.cli;

import io.chokepoint.cli.DelayHistory.Arrival;
import io.chokepoint.cli.DelayHistory.Transition;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.DevClusterOptions;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's promises kept through a real crash: a 3-node cluster (replication factor 3,
 * {@code min.insync.replicas} 2), two {@code streams} instances with a rule as child JVMs, a
 * generated history produced while one instance is killed with SIGKILL and started again on the
 * same state directory. Every final and every alert transition is computed independently here:
 * afterwards each commodity-window has exactly one final, equal to the expected stats, and the
 * alert topic (read_committed) holds each expected FIRING and RESOLVED exactly once. 10,000
 * poison pills ride along: each lands in the dead-letter topic exactly once, and none stops or
 * skews the pipeline.
 */
class StreamsFailoverTest {

    private static final int DAYS = 8;
    private static final int COMMODITIES = 12;
    private static final String RULE = "failover-mean-delay";
    private static final double FIRE = 20;
    private static final double RESOLVE = 10;
    /** Poison pills mixed into the load: garbage bytes, an unknown schema id, another event type, a wrong key. */
    private static final int PILLS = 10_000;

    @TempDir
    Path dir;

    @Test
    void aKilledInstanceLosesAndDuplicatesNothing() throws Exception {
        List<String> commodities = DelayHistory.commodities(COMMODITIES);
        List<Arrival> history = DelayHistory.generate(commodities, DAYS);
        Map<String, List<Arrival>> expectedWindows = DelayHistory.windows(history);
        List<Transition> expectedAlerts = DelayHistory.transitions(expectedWindows, FIRE, RESOLVE);
        assertThat(expectedAlerts).as("the history makes episodes").hasSizeGreaterThanOrEqualTo(6);

        try (DevCluster cluster = DevCluster.start(DevClusterOptions.defaults().withBrokers(3));
             ChokepointProcesses processes = new ChokepointProcesses(dir)) {
            Path config = config(cluster);
            InProcessCli.Run created = InProcessCli.run(config, "topics", "create");
            assertThat(created.exit()).as(created.err()).isZero();
            ChokepointConfig settings = cluster.config().with(Map.of("topic.replication.factor", "3"));
            Topics topics = settings.topics();

            ChokepointProcesses.Child a = startStreams(processes, config, "streams-a");
            ChokepointProcesses.Child b = startStreams(processes, config, "streams-b");
            DelayHistory.awaitStreamsMembers(settings, 2, Duration.ofSeconds(120));

            int pillsSent = 0;
            try (KafkaProducer<String, ShipmentMilestone> producer = DelayHistory.producer(settings, topics);
                 KafkaProducer<String, byte[]> raw = DelayHistory.rawProducer(settings)) {
                PoisonPills pills = new PoisonPills(topics, commodities);
                int killAfter = history.size() / 3;
                int pillsPerBatch = (int) Math.ceil(PILLS / (history.size() / 100.0));
                for (int i = 0; i < history.size(); i++) {
                    DelayHistory.send(producer, topics, history.get(i));
                    if (i % 100 == 99) {
                        for (int p = 0; p < pillsPerBatch && pillsSent < PILLS; p++, pillsSent++) {
                            raw.send(pills.pill(pillsSent));
                        }
                        raw.flush();
                        producer.flush();
                        Thread.sleep(250); // about 400 events/s: the crash lands in the middle of the load
                    }
                    if (i == killAfter) {
                        producer.flush();
                        a.kill();
                        Thread.sleep(5_000);
                        a = startStreams(processes, config, "streams-a");
                    }
                }
                DelayHistory.sendTail(producer, topics, commodities, history);
            }
            assertThat(pillsSent).isEqualTo(PILLS);
            long producedAt = System.nanoTime();

            int expectedFinals = expectedWindows.size();
            List<CommodityDelayStats> finals = DelayHistory.readCommitted(settings, topics.commodityDelayStats(), expectedFinals, r -> true);
            Duration caughtUp = Duration.ofNanos(System.nanoTime() - producedAt);
            List<DisruptionAlert> alerts = DelayHistory.readCommitted(settings, topics.disruptionAlerts(), expectedAlerts.size(),
                    alert -> alert.getRuleId().equals(RULE));
            List<DeadLetter> deadLetters = DelayHistory.readCommitted(settings, topics.deadLetters(), PILLS,
                    letter -> topics.shipmentMilestones().name().equals(letter.getSourceTopic())); // a punctuation's dead letter has no source topic

            DelayHistory.assertFinals(finals, expectedWindows);
            List<Transition> actualAlerts = alerts.stream()
                    .map(x -> new Transition(x.getHsCode(), x.getState(), x.getWindowStart().toEpochMilli())).toList();
            assertThat(actualAlerts).as("each expected transition exactly once").containsExactlyInAnyOrderElementsOf(expectedAlerts);

            assertThat(deadLetters.stream().map(d -> d.getSourcePartition() + "@" + d.getSourceOffset()).distinct().count())
                    .as("every pill in the dead-letter topic once").isEqualTo(PILLS).isEqualTo(deadLetters.size());
            Map<FailureStage, Long> stages = deadLetters.stream().collect(Collectors.groupingBy(DeadLetter::getStage, Collectors.counting()));
            assertThat(stages).containsExactlyInAnyOrderEntriesOf(Map.of(
                    FailureStage.DESERIALIZATION, (long) PILLS * 3 / 4, FailureStage.PROCESSING, (long) PILLS / 4));
            assertThat(deadLetters).allSatisfy(d -> assertThat(d.getCause()).isNotBlank());
            for (ChokepointProcesses.Child instance : List.of(a, b)) {
                // one line per dead letter, from the handler; not Kafka's copy of it with a stack trace
                assertThat(instance.err()).as(instance.name() + " stderr").doesNotContain("Skipping record due to deserialization error");
            }

            System.out.printf("[failover] %,d events and %,d poison pills, one instance killed (SIGKILL) after %,d events and restarted 5 s"
                            + " later; %,d finals, %,d alerts and %,d dead letters as expected, none lost, none duplicated;"
                            + " all finals committed %d s after the last event%n",
                    history.size() + commodities.size(), PILLS, history.size() / 3 + 1, finals.size(), alerts.size(), deadLetters.size(),
                    caughtUp.toSeconds());
        }
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
                # the restarted process joins as a new member: the killed one's partitions wait out
                # the session timeout (Kafka's 45 s default) before they are reassigned
                kafka.session.timeout.ms: 6000
                """.formatted(cluster.bootstrapServers(), cluster.schemaRegistryUrl(), rules));
        return config;
    }

    private ChokepointProcesses.Child startStreams(ChokepointProcesses processes, Path config, String name) throws Exception {
        return processes.start(name, config, "streams", "--state-dir", dir.resolve(name).toString(), "--http-port", "-1");
    }


    /** Records on the milestones topic that no valid event looks like; each is the input's fault, none may stop the pipeline. */
    private static final class PoisonPills {
        private final String topic;
        private final List<String> commodities;
        private final byte[] tariffChange;
        private final Serializer<ShipmentMilestone> milestones;

        PoisonPills(Topics topics, List<String> commodities) {
            this.topic = topics.shipmentMilestones().name();
            this.commodities = commodities;
            this.milestones = topics.shipmentMilestones().valueSerde().serializer();
            TariffChange change = TariffChange.newBuilder().setEventId("pill-tariff").setChangeId("P1").setAnnouncedAt(DelayHistory.T0).setEffectiveAt(DelayHistory.T0)
                    .setImposingCountry("US").setTargetCountry("CN").setHsCode(commodities.get(0)).setPreviousRatePct(10.0)
                    .setNewRatePct(110.0).setMeasure(TariffMeasure.INCREASE).build();
            // a well-formed record of another registered type: the registry knows its id, the milestone reader cannot take it
            this.tariffChange = topics.tariffChanges().valueSerde().serializer().serialize(topics.tariffChanges().name(), change);
        }

        ProducerRecord<String, byte[]> pill(int n) {
            String hs = commodities.get(n % commodities.size());
            byte[] value = switch (n % 4) {
                case 0 -> ("not avro at all #" + n).getBytes(StandardCharsets.UTF_8);
                case 1 -> ByteBuffer.allocate(9).put((byte) 0).putInt(2_000_000_000).putInt(n).array(); // no such schema id
                case 2 -> tariffChange;
                default -> {
                    // stamped at the history's start: it can never move a partition's time on
                    Instant at = DelayHistory.T0;
                    ShipmentMilestone misKeyed = ShipmentMilestone.newBuilder().setEventId("pill-" + n + ":ARRIVED")
                            .setShipmentId("pill-" + n).setHsCode(hs).setOrigin("CN").setDestination("US").setMilestone(Milestone.ARRIVED)
                            .setPlannedAt(at).setActualAt(at).build();
                    yield milestones.serialize(topic, misKeyed);
                }
            };
            // the mis-keyed milestone is keyed by another commodity than its own: the aggregation refuses it
            String key = n % 4 == 3 ? commodities.get((n + 1) % commodities.size()) : hs;
            return new ProducerRecord<>(topic, key, value);
        }
    }
}
