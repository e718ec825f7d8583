package io.chokepoint.bench;

import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.window.DelayObservation;
import io.chokepoint.streams.window.DelaySketch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/** The raw Kafka baselines, each over the same pre-loaded topic as the topology. */
final class Baselines {

    private Baselines() {
    }

    /**
     * A: a plain consumer decoding the Avro milestones and accumulating each delay observation in
     * its commodity's hourly pane (count, sum, min, max, sketch) in a HashMap — this work with no
     * fault tolerance, no windows emitted, nothing written: the physical limit here.
     */
    static Measured plainConsumer(ChokepointConfig config, Topics topics, String topic, long expected) {
        Properties c = consumerProps(config, false);
        Predicate<Thread> own = ownThreads(c.getProperty(ConsumerConfig.GROUP_ID_CONFIG));
        long seen = 0;
        CpuUse.Mark first = null;
        Map<String, Map<Long, long[]>> panes = new HashMap<>();
        Map<String, Map<Long, DelaySketch>> sketches = new HashMap<>();
        try (KafkaConsumer<String, ShipmentMilestone> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                topics.shipmentMilestones().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < expected) {
                ConsumerRecords<String, ShipmentMilestone> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && first == null) {
                    first = CpuUse.mark(own);
                }
                for (ConsumerRecord<String, ShipmentMilestone> r : records) {
                    seen++;
                    DelayObservation.of(r.value()).ifPresent(o -> {
                        long pane = Math.floorDiv(o.at(), 3_600_000L);
                        long[] agg = panes.computeIfAbsent(o.hsCode(), k -> new HashMap<>())
                                .computeIfAbsent(pane, k -> new long[]{0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                        agg[0]++;
                        agg[1] += o.delayMs();
                        agg[2] = Math.min(agg[2], o.delayMs());
                        agg[3] = Math.max(agg[3], o.delayMs());
                        sketches.computeIfAbsent(o.hsCode(), k -> new HashMap<>()).computeIfAbsent(pane, k -> new DelaySketch()).add(o.delayHours());
                    });
                }
            }
        }
        return new Measured(expected, first.since());
    }

    /** B: a transactional consume → produce passthrough of the same bytes, committing every 100 ms as Streams does under EOS. */
    static Measured transactionalPassthrough(ChokepointConfig config, String topic, String outTopic, long expected) {
        Properties c = consumerProps(config, true);
        Properties p = config.kafkaClientProperties();
        String transactionalId = "bench-passthrough-" + UUID.randomUUID();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        Predicate<Thread> own = ownThreads(c.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).or(t -> t.getName().contains(transactionalId));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        long seen = 0;
        CpuUse.Mark first = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(topic));
            long lastCommit = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            producer.beginTransaction();
            while (seen < expected) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && first == null) {
                    first = CpuUse.mark(own);
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(outTopic, r.partition(), r.timestamp(), r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    seen++;
                }
                if (System.nanoTime() - lastCommit > 100_000_000L || seen >= expected) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    offsets.clear();
                    lastCommit = System.nanoTime();
                    if (seen < expected) {
                        producer.beginTransaction();
                    }
                }
            }
        }
        return new Measured(expected, first.since());
    }

    /** The calling thread, which polls, and the clients' own threads, named after the group or transactional id. */
    private static Predicate<Thread> ownThreads(String groupId) {
        Thread caller = Thread.currentThread();
        return t -> t == caller || t.getName().contains(groupId);
    }

    private static Properties consumerProps(ChokepointConfig config, boolean transactional) {
        Properties c = config.kafkaClientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Boolean.toString(!transactional));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        return c;
    }

    /** Records processed, and the time and CPU they took. */
    record Measured(long records, CpuUse cpu) {
        double rate() {
            return records / cpu.wallSeconds();
        }
    }
}
