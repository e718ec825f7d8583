package io.chokepoint.cli;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.DevClusterOptions;
import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

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

    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    private static final long HOUR = 3_600_000L;
    private static final long WINDOW = 24 * HOUR;
    private static final long GRACE = 2 * HOUR;
    private static final int DAYS = 8;
    private static final long EVERY = 20 * 60_000L;
    private static final int COMMODITIES = 12;
    private static final String RULE = "failover-mean-delay";
    private static final double FIRE = 20;
    private static final double RESOLVE = 10;
    /** Poison pills mixed into the load: garbage bytes, an unknown schema id, another event type, a wrong key. */
    private static final int PILLS = 10_000;

    @TempDir
    Path dir;

    private record Arrival(String hs, String shipment, long at, long delayMs) {
    }

    private record Transition(String hs, AlertState state, long windowStart) {
    }

    @Test
    void aKilledInstanceLosesAndDuplicatesNothing() throws Exception {
        List<String> commodities = CommodityCatalogue.defaultCatalogue().all().stream().map(Commodity::hsCode).sorted()
                .limit(COMMODITIES).toList();
        List<Arrival> history = history(commodities);
        Map<String, List<Arrival>> expectedWindows = windows(history);
        List<Transition> expectedAlerts = transitions(expectedWindows);
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
            awaitMembers(settings, 2, Duration.ofSeconds(120));

            int pillsSent = 0;
            try (KafkaProducer<String, ShipmentMilestone> producer = producer(settings, topics);
                 KafkaProducer<String, byte[]> raw = rawProducer(settings)) {
                PoisonPills pills = new PoisonPills(topics, commodities);
                int killAfter = history.size() / 3;
                int pillsPerBatch = (int) Math.ceil(PILLS / (history.size() / 100.0));
                for (int i = 0; i < history.size(); i++) {
                    send(producer, topics, history.get(i));
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
                // one fact per commodity three days on: every partition's time passes each history window's close
                long tail = history.get(history.size() - 1).at() + 3 * WINDOW;
                for (String hs : commodities) {
                    send(producer, topics, new Arrival(hs, hs + "-tail", tail, 2 * HOUR));
                }
                producer.flush();
            }
            assertThat(pillsSent).isEqualTo(PILLS);
            long producedAt = System.nanoTime();

            int expectedFinals = expectedWindows.size();
            List<CommodityDelayStats> finals = readCommitted(settings, topics.commodityDelayStats(), expectedFinals, r -> true);
            Duration caughtUp = Duration.ofNanos(System.nanoTime() - producedAt);
            List<DisruptionAlert> alerts = readCommitted(settings, topics.disruptionAlerts(), expectedAlerts.size(),
                    alert -> alert.getRuleId().equals(RULE));
            List<DeadLetter> deadLetters = readCommitted(settings, topics.deadLetters(), PILLS,
                    letter -> topics.shipmentMilestones().name().equals(letter.getSourceTopic())); // a punctuation's dead letter has no source topic

            Map<String, List<CommodityDelayStats>> byWindow = finals.stream()
                    .collect(Collectors.groupingBy(s -> key(s.getHsCode(), s.getWindowStart().toEpochMilli()), TreeMap::new, Collectors.toList()));
            assertThat(byWindow.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList())
                    .as("windows with more than one final").isEmpty();
            assertThat(byWindow.keySet()).as("every commodity-window with data has its final, and no other")
                    .containsExactlyInAnyOrderElementsOf(expectedWindows.keySet());
            for (CommodityDelayStats actual : finals) {
                List<Arrival> in = expectedWindows.get(key(actual.getHsCode(), actual.getWindowStart().toEpochMilli()));
                String window = actual.getHsCode() + " " + actual.getWindowStart();
                assertThat(actual.getCount()).as(window + " count").isEqualTo(in.size());
                double[] sorted = in.stream().mapToDouble(x -> x.delayMs() / (double) HOUR).sorted().toArray();
                assertThat(actual.getMeanDelayHours()).as(window + " mean")
                        .isCloseTo(in.stream().mapToLong(Arrival::delayMs).sum() / (double) in.size() / HOUR, within(1e-9));
                assertThat(actual.getMinDelayHours()).as(window + " min").isEqualTo(sorted[0]);
                assertThat(actual.getMaxDelayHours()).as(window + " max").isEqualTo(sorted[sorted.length - 1]);
                double p95 = sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
                assertThat(actual.getP95DelayHours()).as(window + " p95").isCloseTo(p95, within(p95 * 0.01 + 0.001));
            }
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

    /** Every 20 minutes an arrival per commodity; every third commodity stalls (40 h late) for two to three days. */
    private static List<Arrival> history(List<String> commodities) {
        List<Arrival> arrivals = new ArrayList<>();
        int steps = (int) (DAYS * WINDOW / EVERY);
        for (int step = 0; step < steps; step++) {
            for (int k = 0; k < commodities.size(); k++) {
                String hs = commodities.get(k);
                long at = T0.toEpochMilli() + step * EVERY + k * 30_000L;
                long stallFrom = T0.toEpochMilli() + 2 * WINDOW + (k % 4) * 12 * HOUR;
                long stallTo = T0.toEpochMilli() + 4 * WINDOW + 12 * HOUR;
                boolean stalled = k % 3 == 0 && at >= stallFrom && at < stallTo;
                long delay = stalled ? 40 * HOUR : (2 + k % 3) * HOUR + (step % 5) * 15 * 60_000L;
                arrivals.add(new Arrival(hs, hs + "-" + step, at, delay));
            }
        }
        return arrivals;
    }

    /** Each arrival in each of the 24 hourly windows holding it (all arrive in order, none late). */
    private static Map<String, List<Arrival>> windows(List<Arrival> history) {
        Map<String, List<Arrival>> windows = new TreeMap<>();
        for (Arrival arrival : history) {
            long pane = Math.floorDiv(arrival.at(), HOUR) * HOUR;
            for (long start = pane - WINDOW + HOUR; start <= pane; start += HOUR) {
                windows.computeIfAbsent(key(arrival.hs(), start), k -> new ArrayList<>()).add(arrival);
            }
        }
        return windows;
    }

    /** The rule on each commodity's finals in window order: FIRING above 20 h mean, RESOLVED at 10 h or below. */
    private static List<Transition> transitions(Map<String, List<Arrival>> windows) {
        List<Transition> transitions = new ArrayList<>();
        Map<String, Boolean> firing = new TreeMap<>();
        windows.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<Arrival>> e) -> e.getKey().substring(0, 6))
                        .thenComparingLong(e -> Long.parseLong(e.getKey().substring(7))))
                .forEach(e -> {
                    String hs = e.getKey().substring(0, 6);
                    long start = Long.parseLong(e.getKey().substring(7));
                    double mean = e.getValue().stream().mapToLong(Arrival::delayMs).average().orElseThrow() / HOUR;
                    boolean wasFiring = firing.getOrDefault(hs, false);
                    if (!wasFiring && mean > FIRE) {
                        firing.put(hs, true);
                        transitions.add(new Transition(hs, AlertState.FIRING, start));
                    } else if (wasFiring && mean <= RESOLVE) {
                        firing.put(hs, false);
                        transitions.add(new Transition(hs, AlertState.RESOLVED, start));
                    }
                });
        return transitions;
    }

    private static String key(String hs, long windowStart) {
        return hs + "|" + windowStart;
    }

    private Path config(DevCluster cluster) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - id: %s
                    description: Shipments of this commodity run late on average.
                    metric: meanDelayHours
                    comparison: ">"
                    fire: %s
                    resolve: %s
                    evaluate: final
                """.formatted(RULE, FIRE, RESOLVE));
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

    private static void awaitMembers(ChokepointConfig config, int members, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            while (true) {
                ConsumerGroupDescription group = null;
                try {
                    group = admin.describeConsumerGroups(List.of("chokepoint-streams")).all().get(10, TimeUnit.SECONDS)
                            .get("chokepoint-streams");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
                if (group != null && group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    fail("the streams group did not reach " + members + " members with partitions within " + timeout + ": " + group);
                }
                Thread.sleep(500);
            }
        }
    }

    private static KafkaProducer<String, ShipmentMilestone> producer(ChokepointConfig config, Topics topics) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, topics.shipmentMilestones().keySerde().serializer(),
                topics.shipmentMilestones().valueSerde().serializer());
    }

    private static void send(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, Arrival arrival) {
        Instant actual = Instant.ofEpochMilli(arrival.at());
        ShipmentMilestone milestone = ShipmentMilestone.newBuilder().setEventId(arrival.shipment() + ":ARRIVED")
                .setShipmentId(arrival.shipment()).setHsCode(arrival.hs()).setOrigin("CN").setDestination("US")
                .setMilestone(Milestone.ARRIVED).setPlannedAt(actual.minusMillis(arrival.delayMs())).setActualAt(actual).build();
        producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), arrival.hs(), milestone));
    }

    private static KafkaProducer<String, byte[]> rawProducer(ChokepointConfig config) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
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
            TariffChange change = TariffChange.newBuilder().setEventId("pill-tariff").setChangeId("P1").setAnnouncedAt(T0).setEffectiveAt(T0)
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
                    Instant at = T0;
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

    /** Committed records of a topic, from the beginning, until {@code expected} matched and then 5 s without more. */
    private static <K, V> List<V> readCommitted(ChokepointConfig config, Topic<K, V> topic, int expected, Predicate<V> matching) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "failover-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.value() != null && matching.test(record.value())) {
                        records.add(record.value());
                        if (records.size() >= expected) {
                            quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                        }
                    }
                }
            }
        }
        return records;
    }
}
