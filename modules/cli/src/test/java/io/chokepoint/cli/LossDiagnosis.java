package io.chokepoint.cli;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * When the fail-over test finds output missing, tells a reader what and where: which
 * commodity-windows and pills, on which partitions, which instance handled the lost pills and when,
 * and whether the missing records are physically in the log (written in a transaction that was
 * aborted) or absent (never appended, though acknowledged).
 */
final class LossDiagnosis {

    private static final Pattern DEAD_LETTERED = Pattern.compile(
            "^(\\S+) .*dead-lettering [a-z ]*record (shipment-milestones-(\\d+))@(\\d+)", Pattern.MULTILINE);

    private LossDiagnosis() {
    }

    static void print(ChokepointConfig config, Topics topics, Set<String> expectedWindows, List<CommodityDelayStats> finals,
                      List<DeadLetter> deadLetters, ChokepointProcesses.Child[] instances) throws IOException {
        Set<String> committedWindows = finals.stream()
                .map(s -> DelayHistory.key(s.getHsCode(), s.getWindowStart().toEpochMilli())).collect(Collectors.toSet());
        Set<String> lostWindows = new TreeSet<>(expectedWindows);
        lostWindows.removeAll(committedWindows);
        Map<String, Integer> windowPartition = new TreeMap<>();
        Set<String> inLog = new TreeSet<>();
        for (var record : readUncommitted(config, topics.commodityDelayStats())) {
            String key = DelayHistory.key(record.value().getHsCode(), record.value().getWindowStart().toEpochMilli());
            windowPartition.putIfAbsent(record.value().getHsCode(), record.partition());
            if (lostWindows.contains(key)) {
                inLog.add(key + " @" + record.partition() + ":" + record.offset());
            }
        }
        Map<String, Long> lostPerCommodity = lostWindows.stream()
                .collect(Collectors.groupingBy(k -> k.substring(0, k.indexOf('|')), TreeMap::new, Collectors.counting()));
        lostPerCommodity.forEach((hs, n) -> System.out.printf("[failover] lost finals: %s (partition %s): %d windows, %s .. %s%n", hs,
                windowPartition.get(hs), n, lostWindows.stream().filter(k -> k.startsWith(hs + "|")).findFirst().orElseThrow(),
                lostWindows.stream().filter(k -> k.startsWith(hs + "|")).reduce((a, b) -> b).orElseThrow()));
        System.out.printf("[failover] lost finals physically in the log (aborted): %d of %d %s%n", inLog.size(), lostWindows.size(),
                inLog.stream().limit(5).toList());

        Set<String> committedPills = deadLetters.stream().map(d -> d.getSourcePartition() + "@" + d.getSourceOffset())
                .collect(Collectors.toSet());
        Map<String, List<String>> handled = new TreeMap<>();
        for (ChokepointProcesses.Child instance : instances) {
            Matcher m = DEAD_LETTERED.matcher(instance.err());
            while (m.find()) {
                handled.computeIfAbsent(m.group(3) + "@" + m.group(4), k -> new ArrayList<>()).add(instance.name() + " " + m.group(1));
            }
        }
        Set<String> lostPills = new TreeSet<>(handled.keySet());
        lostPills.removeAll(committedPills);
        Set<String> uncommittedPills = new TreeSet<>();
        for (var record : readUncommitted(config, topics.deadLetters())) {
            String pill = record.value().getSourcePartition() + "@" + record.value().getSourceOffset();
            if (lostPills.contains(pill)) {
                uncommittedPills.add(pill + " in dlq-" + record.partition() + ":" + record.offset());
            }
        }
        System.out.printf("[failover] pills handled per the instances' logs: %,d; in the dead-letter topic (committed): %,d; lost: %,d,"
                + " of which physically in the log (aborted): %,d%n", handled.size(), committedPills.size(), lostPills.size(), uncommittedPills.size());
        lostPills.stream().limit(3).forEach(p -> System.out.printf("[failover]   lost pill %s, handled by %s%n", p, handled.get(p)));
        if (lostPills.size() > 3) {
            String last = ((TreeSet<String>) lostPills).last();
            System.out.printf("[failover]   … lost pill %s, handled by %s%n", last, handled.get(last));
        }
        uncommittedPills.stream().limit(3).forEach(p -> System.out.println("[failover]   aborted: " + p));

        // a pill committed twice: when each copy was made (failedAt) and who handled the pill when, to match with the logs
        Map<String, List<String>> copies = new TreeMap<>();
        for (DeadLetter d : deadLetters) {
            copies.computeIfAbsent(d.getSourcePartition() + "@" + d.getSourceOffset(), k -> new ArrayList<>()).add(d.getFailedAt().toString());
        }
        copies.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(5).forEach(e -> System.out.printf(
                "[failover]   pill %s committed %d times, made at %s; handled by %s%n", e.getKey(), e.getValue().size(), e.getValue(),
                handled.get(e.getKey())));
    }

    /** Every record of a topic up to its end offsets, aborted ones included. */
    private static <K, V> List<ConsumerRecord<K, V>> readUncommitted(ChokepointConfig config, Topic<K, V> topic) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(topic.name(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.value() != null) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
