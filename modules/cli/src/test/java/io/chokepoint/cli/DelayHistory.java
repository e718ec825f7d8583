package io.chokepoint.cli;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.CommodityDelayStats;
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
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * A generated milestone history for the system tests, with what the pipeline must make of it
 * computed here, independently of the aggregation: every 20 minutes an arrival per commodity,
 * every third commodity stalled at 40 h for two to three days; each window's arrivals; the
 * transitions of a mean-delay rule on the finals.
 */
final class DelayHistory {

    static final long HOUR = 3_600_000L;
    static final long WINDOW = 24 * HOUR;
    static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    private static final long EVERY = 20 * 60_000L;

    record Arrival(String hs, String shipment, long at, long delayMs) {
    }

    record Transition(String hs, AlertState state, long windowStart) {
    }

    private DelayHistory() {
    }

    /** The first {@code n} commodities of the catalogue, by HS code. */
    static List<String> commodities(int n) {
        return CommodityCatalogue.defaultCatalogue().all().stream().map(Commodity::hsCode).sorted().limit(n).toList();
    }

    static List<Arrival> generate(List<String> commodities, int days) {
        List<Arrival> arrivals = new ArrayList<>();
        int steps = (int) (days * WINDOW / EVERY);
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
    static Map<String, List<Arrival>> windows(List<Arrival> history) {
        Map<String, List<Arrival>> windows = new TreeMap<>();
        for (Arrival arrival : history) {
            long pane = Math.floorDiv(arrival.at(), HOUR) * HOUR;
            for (long start = pane - WINDOW + HOUR; start <= pane; start += HOUR) {
                windows.computeIfAbsent(key(arrival.hs(), start), k -> new ArrayList<>()).add(arrival);
            }
        }
        return windows;
    }

    /** A rule on each commodity's finals in window order: FIRING above {@code fire} h mean, RESOLVED at {@code resolve} h or below. */
    static List<Transition> transitions(Map<String, List<Arrival>> windows, double fire, double resolve) {
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
                    if (!wasFiring && mean > fire) {
                        firing.put(hs, true);
                        transitions.add(new Transition(hs, AlertState.FIRING, start));
                    } else if (wasFiring && mean <= resolve) {
                        firing.put(hs, false);
                        transitions.add(new Transition(hs, AlertState.RESOLVED, start));
                    }
                });
        return transitions;
    }

    static String key(String hs, long windowStart) {
        return hs + "|" + windowStart;
    }

    /** A rule file with the mean-delay rule of {@link #transitions}, on finals. */
    static String meanDelayRule(String id, double fire, double resolve) {
        return """
                rules:
                  - id: %s
                    description: Shipments of this commodity run late on average.
                    metric: meanDelayHours
                    comparison: ">"
                    fire: %s
                    resolve: %s
                    evaluate: final
                """.formatted(id, fire, resolve);
    }

    /**
     * Writes {@code rules.yaml} (the mean-delay rule) and {@code chokepoint.yaml} for streams
     * instances on this cluster into {@code dir}, with {@code extraYaml} lines appended; returns the config file.
     */
    static Path meanDelayConfig(Path dir, String bootstrap, String registryUrl, String rule, double fire, double resolve,
                                String extraYaml) throws IOException {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, meanDelayRule(rule, fire, resolve));
        Path config = dir.resolve("chokepoint.yaml");
        Files.writeString(config, "bootstrap.servers: %s%nschema.registry.url: %s%nrules.files: %s%n".formatted(bootstrap, registryUrl, rules)
                + extraYaml);
        return config;
    }

    static KafkaProducer<String, ShipmentMilestone> producer(ChokepointConfig config, Topics topics) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, topics.shipmentMilestones().keySerde().serializer(),
                topics.shipmentMilestones().valueSerde().serializer());
    }

    /** A producer of raw bytes: records no valid event looks like, or one serialised earlier. */
    static KafkaProducer<String, byte[]> rawProducer(ChokepointConfig config) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static void send(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, Arrival arrival) {
        Instant actual = Instant.ofEpochMilli(arrival.at());
        ShipmentMilestone milestone = ShipmentMilestone.newBuilder().setEventId(arrival.shipment() + ":ARRIVED")
                .setShipmentId(arrival.shipment()).setHsCode(arrival.hs()).setOrigin("CN").setDestination("US")
                .setMilestone(Milestone.ARRIVED).setPlannedAt(actual.minusMillis(arrival.delayMs())).setActualAt(actual).build();
        producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), arrival.hs(), milestone));
    }

    /** One fact per commodity three days after the history: every partition's time passes each history window's close. */
    static void sendTail(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, List<String> commodities, List<Arrival> history) {
        long tail = history.get(history.size() - 1).at() + 3 * WINDOW;
        for (String hs : commodities) {
            send(producer, topics, new Arrival(hs, hs + "-tail", tail, 2 * HOUR));
        }
        producer.flush();
    }

    /** Each commodity-window with data has exactly one final, equal to the expected stats (p95 within the sketch's 1 %), and there is no other. */
    static void assertFinals(List<CommodityDelayStats> finals, Map<String, List<Arrival>> expected) {
        Map<String, List<CommodityDelayStats>> byWindow = finals.stream()
                .collect(Collectors.groupingBy(s -> key(s.getHsCode(), s.getWindowStart().toEpochMilli()), TreeMap::new, Collectors.toList()));
        assertThat(byWindow.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList())
                .as("windows with more than one final").isEmpty();
        assertThat(byWindow.keySet()).as("every commodity-window with data has its final, and no other")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (CommodityDelayStats actual : finals) {
            List<Arrival> in = expected.get(key(actual.getHsCode(), actual.getWindowStart().toEpochMilli()));
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
    }

    /** Commodity-windows with data that have no final (for the reliability reports; the assertions say which). */
    static long lostWindows(List<CommodityDelayStats> finals, Map<String, List<Arrival>> expected) {
        Set<String> seen = finals.stream().map(s -> key(s.getHsCode(), s.getWindowStart().toEpochMilli())).collect(Collectors.toSet());
        return expected.keySet().stream().filter(k -> !seen.contains(k)).count();
    }

    /** Finals beyond the first of their commodity-window. */
    static long duplicatedWindows(List<CommodityDelayStats> finals) {
        return finals.size() - finals.stream().map(s -> key(s.getHsCode(), s.getWindowStart().toEpochMilli())).distinct().count();
    }

    /** Waits until the streams group has {@code members} members, each with partitions. */
    static void awaitStreamsMembers(ChokepointConfig config, int members, Duration timeout) throws Exception {
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

    /** Committed records of a topic, from the beginning, until {@code expected} matched (or none are expected) and then 5 s without more. */
    static <K, V> List<V> readCommitted(ChokepointConfig config, Topic<K, V> topic, int expected, Predicate<V> matching) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            long quietUntil = expected == 0 ? System.nanoTime() + Duration.ofSeconds(5).toNanos() : Long.MAX_VALUE;
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
