package io.chokepoint.streams.bench;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.chokepoint.streams.StreamsSettings;
import io.chokepoint.streams.policy.LicenceTallySerde;
import io.chokepoint.streams.policy.TariffRouteSerde;
import io.chokepoint.streams.shipment.OpenShipmentSerde;
import io.chokepoint.streams.state.StatsRecordSerde;
import io.chokepoint.streams.window.DelayPaneSerde;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Throughput of the delay aggregation on the embedded broker under exactly-once, against a raw
 * Kafka baseline (transactional consume → produce passthrough of the same records) in the same
 * run; state-store size per 1 000 commodities; p95 of every final window against the exact
 * p95 of the same generated data. Prints figures; asserts nothing.
 *
 * <pre>
 * mvn -B -q -o -pl modules/streams test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.chokepoint.streams.bench.DelayAggregationBenchmark -Dexec.args="100000 1000"
 * </pre>
 */
public final class DelayAggregationBenchmark {

    private static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofHours(48);

    private record Observation(String hs, long at, double delayHours) {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int commodities = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        System.out.printf(Locale.ROOT, "delay aggregation benchmark: %,d milestones, %,d commodities, %d partitions, windows 24h/1h grace 2h%n",
                events, commodities, partitions);
        try (DevCluster cluster = DevCluster.start()) {
            String scope = UUID.randomUUID().toString().substring(0, 6);
            Path stateDir = Files.createTempDirectory("chokepoint-bench");
            ChokepointConfig config = cluster.config().with(Map.of(
                    "topic.prefix", "bench" + scope + "-",
                    "topic.partitions", Integer.toString(partitions),
                    StreamsProperties.APPLICATION_ID, "bench-" + scope,
                    StreamsProperties.STATE_DIR, stateDir.toString(),
                    "kafka.commit.interval.ms", "100",
                    "kafka.max.task.idle.ms", System.getProperty("bench.idle", "0")));
            Topics topics = config.topics();
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                new TopicProvisioner(admin, topics, (short) 1).ensureAll();
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(baselineTopic(topics), partitions, (short) 1)))
                        .all().get();

                List<Observation> generated = produce(config, topics, events, commodities);
                System.out.printf(Locale.ROOT, "produced %,d records%n", generated.size());

                double baseline = baseline(config, topics, admin, generated.size());
                System.out.printf(Locale.ROOT, "raw Kafka baseline (EOS consume->produce passthrough): %,.0f events/s%n", baseline);

                StreamsSettings settings = StreamsSettings.from(config);
                try (StreamsRuntime runtime = new StreamsRuntime(config, settings)) {
                    long started = System.nanoTime();
                    runtime.start();
                    waitRunning(runtime.streams());
                    long running = System.nanoTime();
                    awaitCommitted(admin, "bench-" + scope, topics.shipmentMilestones().name(), generated.size());
                    double seconds = (System.nanoTime() - running) / 1e9;
                    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                    double streamCpu = 0;
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t.getName().contains("StreamThread") && !t.getName().contains("producer")) {
                            streamCpu += threads.getThreadCpuTime(t.getId()) / 1e9;
                        }
                    }
                    double rate = generated.size() / seconds;
                    System.out.printf(Locale.ROOT, "topology under exactly_once_v2: %,.0f events/s (%.1f s after RUNNING, %.1f s start-up)%n",
                            rate, seconds, (running - started) / 1e9);
                    System.out.printf(Locale.ROOT, "ratio topology / baseline: %.2f (stream thread on CPU %.1f s of %.1f s)%n",
                            rate / baseline, streamCpu, seconds);

                    storeSizes(runtime.streams(), stateDir, commodities);
                    p95Error(config, topics, generated);
                }
            }
        }
    }

    private static String baselineTopic(Topics topics) {
        return topics.shipmentMilestones().name() + "-passthrough";
    }

    /** Deterministic milestones: two per shipment (DEPARTED then ARRIVED), delays with a long tail and early arrivals. */
    private static List<Observation> produce(ChokepointConfig config, Topics topics, int events, int commodities) {
        Random random = new Random(42);
        List<Observation> out = new ArrayList<>(events + commodities);
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        Serializer<ShipmentMilestone> values = topics.shipmentMilestones().valueSerde().serializer();
        try (KafkaProducer<String, ShipmentMilestone> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            long spanMs = SPAN.toMillis();
            for (int i = 0; i < events; i++) {
                String hs = String.format(Locale.ROOT, "%06d", 100_000 + (i / 2) % commodities);
                long t = T0.toEpochMilli() + (long) i * spanMs / events + (long) (random.nextGaussian() * 600_000); // ±10 min disorder
                double delayHours = Math.exp(random.nextGaussian() + 1.5) - 3.0;                              // some negative
                long delayMs = Math.round(delayHours * 3_600_000);
                Milestone milestone = i % 2 == 0 ? Milestone.DEPARTED : Milestone.ARRIVED;
                out.add(send(producer, topics, hs, "s" + i / 2, milestone, t, delayMs));
            }
            // finally move every commodity's time 50 h on, so the windows of the data close
            for (int c = 0; c < commodities; c++) {
                String hs = String.format(Locale.ROOT, "%06d", 100_000 + c);
                out.add(send(producer, topics, hs, "clock-" + c, Milestone.DEPARTED, T0.plus(SPAN).plus(Duration.ofHours(50)).toEpochMilli(), 0));
            }
            producer.flush();
        }
        return out;
    }

    private static Observation send(KafkaProducer<String, ShipmentMilestone> producer, Topics topics, String hs, String shipment,
                                    Milestone milestone, long actual, long delayMs) {
        ShipmentMilestone m = ShipmentMilestone.newBuilder()
                .setEventId(shipment + ":" + milestone).setShipmentId(shipment).setHsCode(hs)
                .setOrigin("CN").setDestination("US").setMilestone(milestone)
                .setPlannedAt(Instant.ofEpochMilli(actual - delayMs)).setActualAt(Instant.ofEpochMilli(actual))
                .setQuantityKg(null).setCarrier(null).build();
        producer.send(new ProducerRecord<>(topics.shipmentMilestones().name(), null, actual, hs, m));
        return new Observation(hs, actual, delayMs / 3_600_000.0);
    }

    /** Transactional consume → produce of the same bytes, committing like Streams does (every 100 ms). */
    private static double baseline(ChokepointConfig config, Topics topics, Admin admin, int expected) throws Exception {
        Properties c = config.kafkaClientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        Properties p = config.kafkaClientProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "baseline-" + UUID.randomUUID());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        int seen = 0;
        long first = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(topics.shipmentMilestones().name()));
            long lastCommit = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            producer.beginTransaction();
            while (seen < expected) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && first == 0) {
                    first = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(baselineTopic(topics), r.partition(), r.timestamp(), r.key(), r.value()));
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
        return expected / ((System.nanoTime() - first) / 1e9);
    }

    private static void waitRunning(KafkaStreams streams) throws InterruptedException {
        while (streams.state() != KafkaStreams.State.RUNNING) {
            Thread.sleep(20);
        }
    }

    private static void awaitCommitted(Admin admin, String group, String topic, long expected) throws Exception {
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long sum = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().offset()).sum();
            if (sum >= expected) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void storeSizes(KafkaStreams streams, Path stateDir, int commodities) throws Exception {
        double perThousand = 1000.0 / commodities;
        Map<String, Long> logical = new java.util.LinkedHashMap<>();
        logical.put(DelayAggregation.PANES_STORE, windowBytes(streams, DelayAggregation.PANES_STORE, new DelayPaneSerde()));
        logical.put(DelayAggregation.STATS_STORE, windowBytes(streams, DelayAggregation.STATS_STORE, new StatsRecordSerde()));
        logical.put(DelayAggregation.LICENCES_STORE, windowBytes(streams, DelayAggregation.LICENCES_STORE, new LicenceTallySerde()));
        logical.put(DelayAggregation.SEEN_STORE, windowBytes(streams, DelayAggregation.SEEN_STORE, new org.apache.kafka.common.serialization.LongSerializer()));
        logical.put(DelayAggregation.SHIPMENTS_STORE, kvBytes(streams, DelayAggregation.SHIPMENTS_STORE, new OpenShipmentSerde()));
        logical.put(DelayAggregation.TARIFFS_STORE, kvBytes(streams, DelayAggregation.TARIFFS_STORE, new TariffRouteSerde()));
        logical.put(DelayAggregation.PENDING_FINALS_STORE, kvBytes(streams, DelayAggregation.PENDING_FINALS_STORE, new StringSerializer()));
        long total = logical.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "state per 1k commodities (live key+value bytes): %.1f MB total; %s%n", total * perThousand / 1e6,
                logical.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f MB", e.getKey(), e.getValue() * perThousand / 1e6))
                        .collect(Collectors.joining(", ")));
        long disk;
        try (Stream<Path> files = Files.walk(stateDir)) {
            disk = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "state directory on disk: %.1f MB per 1k commodities (RocksDB files only; unflushed memtables not counted)%n", disk * perThousand / 1e6);
    }

    private static <V> long windowBytes(KafkaStreams streams, String store, Serializer<V> serde) {
        long bytes = 0;
        try (KeyValueIterator<Windowed<String>, V> it = streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.<String, V>windowStore())).all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, V> kv = it.next();
                bytes += kv.key.key().length() + 12 + serde.serialize("", kv.value).length; // key + timestamp + sequence
            }
        }
        return bytes;
    }

    private static <V> long kvBytes(KafkaStreams streams, String store, Serializer<V> serde) {
        long bytes = 0;
        try (KeyValueIterator<String, V> it = streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.<String, V>keyValueStore())).all()) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                bytes += kv.key.length() + serde.serialize("", kv.value).length;
            }
        }
        return bytes;
    }

    /** Reads every final window and compares its p95 with the exact p95 (value at rank floor(0.95 (n-1))) of the generated data. */
    private static void p95Error(ChokepointConfig config, Topics topics, List<Observation> generated) {
        Map<String, List<Observation>> byCommodity = generated.stream().collect(Collectors.groupingBy(Observation::hs));
        Properties c = config.kafkaClientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<CommodityDelayStats> finals = new ArrayList<>();
        long live = 0;
        try (KafkaConsumer<byte[], CommodityDelayStats> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                topics.commodityDelayStats().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.commodityDelayStats().name()));
            int empty = 0;
            while (empty < 20) {
                ConsumerRecords<byte[], CommodityDelayStats> records = consumer.poll(Duration.ofMillis(250));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<byte[], CommodityDelayStats> r : records) {
                    if (r.value().getIsFinal()) {
                        finals.add(r.value());
                    } else {
                        live++;
                    }
                }
            }
        }
        double maxError = 0;
        double sumError = 0;
        int compared = 0;
        int countMismatches = 0;
        for (CommodityDelayStats s : finals) {
            long from = s.getWindowStart().toEpochMilli();
            long to = s.getWindowEnd().toEpochMilli();
            double[] delays = byCommodity.getOrDefault(s.getHsCode(), List.of()).stream()
                    .filter(o -> o.at() >= from && o.at() < to).mapToDouble(Observation::delayHours).sorted().toArray();
            if (delays.length != s.getCount()) {
                countMismatches++;
                continue;
            }
            double exact = delays[(int) Math.floor(0.95 * (delays.length - 1))];
            if (exact == 0) {
                continue;
            }
            double error = Math.abs(s.getP95DelayHours() - exact) / Math.abs(exact);
            maxError = Math.max(maxError, error);
            sumError += error;
            compared++;
        }
        System.out.printf(Locale.ROOT, "output: %,d final windows, %,d live updates%n", finals.size(), live);
        System.out.printf(Locale.ROOT, "p95 vs exact over %,d final windows: mean relative error %.4f %%, max %.4f %% (bound 1 %%); count mismatches %d%n",
                compared, 100 * sumError / Math.max(1, compared), 100 * maxError, countMismatches);
    }
}
