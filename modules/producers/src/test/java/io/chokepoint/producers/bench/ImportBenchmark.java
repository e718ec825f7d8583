package io.chokepoint.producers.bench;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topic;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.EventIds;
import io.chokepoint.producers.EventPublisher;
import io.chokepoint.producers.KafkaReadBack;
import io.chokepoint.producers.importer.ImportKind;
import io.chokepoint.producers.importer.ImportOptions;
import io.chokepoint.producers.importer.ImportSummary;
import io.chokepoint.producers.importer.Importer;
import io.chokepoint.producers.simulator.Scenario;
import io.chokepoint.producers.simulator.ScenarioLoader;
import io.chokepoint.producers.simulator.Simulator;
import io.chokepoint.producers.simulator.StoryGenerator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures for the closing note, not a timed test: a 1 M-row milestone CSV imported into the
 * embedded cluster (rows/s, peak heap), a raw-Kafka baseline of the same records pre-serialized
 * and sent by a plain {@link KafkaProducer} with the same settings, and the simulator's events/s
 * at unlimited rate (generation alone, and generation + publishing).
 *
 * <p>Run: {@code mvn -q -o -pl modules/producers test-compile exec:java -Dexec.args="1000000"}
 * (the pom points exec:java at this class with the test classpath). Peak heap is the whole
 * process, embedded broker included; run with {@code MAVEN_OPTS=-Xmx512m} to see it bounded.
 */
public final class ImportBenchmark {

    private static final String[] COMMODITIES = {"850511", "280530", "284690", "854231", "841112", "870380", "300490", "847130"};
    private static final String[][] ROUTES = {{"CN", "US"}, {"CN", "DE"}, {"US", "CN"}, {"JP", "US"}};
    private static final Milestone[] STEPS = {Milestone.BOOKED, Milestone.DEPARTED, Milestone.CLEARED, Milestone.ARRIVED};

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("chokepoint-import-bench-");
        Path small = writeMilestones(dir.resolve("milestones-100k.csv"), rows / 10);
        Path big = writeMilestones(dir.resolve("milestones.csv"), rows);
        System.out.printf(Locale.ROOT, "generated %s (%,d rows, %,d MB) and a %,d-row warm-up file%n", big.getFileName(), rows,
                Files.size(big) >> 20, rows / 10);

        try (DevCluster cluster = DevCluster.start()) {
            ChokepointConfig config = KafkaReadBack.isolated(cluster.config());
            Importer importer = new Importer(mode -> EventPublisher.create(config, mode), InputStream.nullInputStream(), null, false);

            PeakHeap heap = new PeakHeap();
            ImportSummary small10 = importer.run(ImportOptions.of(ImportKind.MILESTONES, small.toString()));
            long smallPeak = heap.peakAndReset();
            long smallOld = heap.oldPeak();
            ImportSummary cold = importer.run(ImportOptions.of(ImportKind.MILESTONES, big.toString()));
            heap.peakAndReset();
            // the same file again, JIT warm: the steady state of a long-running importer or service
            ImportSummary summary = importer.run(ImportOptions.of(ImportKind.MILESTONES, big.toString()));
            long bigPeak = heap.peakAndReset();
            long bigOld = heap.oldPeak();
            System.out.printf(Locale.ROOT, "import   %,d rows (first run, JIT cold): %,.0f rows/s (%.1f s)%n",
                    cold.read(), cold.rowsPerSecond(), cold.took().toNanos() / 1e9);
            System.out.printf(Locale.ROOT, "import   %,d rows (second run, warm):   %,.0f rows/s (%.1f s), published %,d, peak heap %,d MB, old-gen peak %,d MB%n",
                    summary.read(), summary.rowsPerSecond(), summary.took().toNanos() / 1e9, summary.published(), bigPeak >> 20, bigOld >> 20);
            System.out.printf(Locale.ROOT, "import   %,d rows (10x smaller file):    %,.0f rows/s, peak heap %,d MB, old-gen peak %,d MB (same process and broker)%n",
                    small10.read(), small10.rowsPerSecond(), smallPeak >> 20, smallOld >> 20);

            double raw = rawBaseline(config, rows);
            long rawPeak = heap.peakAndReset();
            System.out.printf(Locale.ROOT, "raw      %,d pre-serialized records, plain KafkaProducer: %,.0f records/s, peak heap %,d MB%n",
                    rows, raw, rawPeak >> 20);
            System.out.printf(Locale.ROOT, "ratio    importer / raw Kafka = %.2f (the importer reads, validates and Avro-encodes each row)%n",
                    summary.rowsPerSecond() / raw);

            simulator(config);
        } finally {
            Files.deleteIfExists(small);
            Files.deleteIfExists(big);
            Files.deleteIfExists(dir);
        }
    }

    /** Distinct shipments, four milestones each, spread over commodities and routes. */
    static Path writeMilestones(Path file, int rows) throws IOException {
        long base = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier\n");
            for (int i = 0; i < rows; i++) {
                int shipment = i / STEPS.length;
                Milestone step = STEPS[i % STEPS.length];
                String[] route = ROUTES[shipment % ROUTES.length];
                long planned = base + shipment * 7_000L + (i % STEPS.length) * 86_400_000L;
                long actual = planned + (shipment % 17) * 3_600_000L;
                out.write("BENCH-" + shipment + "," + COMMODITIES[shipment % COMMODITIES.length] + "," + route[0] + "," + route[1] + ","
                        + step + "," + Instant.ofEpochMilli(planned) + "," + Instant.ofEpochMilli(actual) + "," + (100 + shipment % 900)
                        + ",Maersk\n");
            }
        }
        return file;
    }

    /**
     * The same kind of record, serialized up front (10 000 distinct ones, cycled) and sent as bytes
     * with the EventPublisher's producer settings: what Kafka alone costs on this machine.
     */
    static double rawBaseline(ChokepointConfig config, int rows) {
        Topic<String, ShipmentMilestone> topic = config.topics().shipmentMilestones();
        Serializer<ShipmentMilestone> values = topic.valueSerde().serializer();
        int distinct = 10_000;
        byte[][] keys = new byte[distinct][];
        byte[][] bytes = new byte[distinct][];
        long[] times = new long[distinct];
        for (int i = 0; i < distinct; i++) {
            Instant t = Instant.parse("2025-03-01T00:00:00Z").plusSeconds(i * 7L);
            String hs = COMMODITIES[i % COMMODITIES.length];
            ShipmentMilestone m = new ShipmentMilestone(EventIds.milestone("RAW-" + i, "DEPARTED"), "RAW-" + i, hs, "CN", "US",
                    Milestone.DEPARTED, t, t.plusSeconds(3600), 100.0, "Maersk");
            keys[i] = hs.getBytes(StandardCharsets.UTF_8);
            bytes[i] = values.serialize(topic.name(), m);
            times[i] = t.toEpochMilli();
        }
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < rows; i++) {
                int j = i % distinct;
                producer.send(new ProducerRecord<>(topic.name(), null, times[j], keys[j], bytes[j]), (md, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " raw sends failed");
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    static void simulator(ChokepointConfig config) throws InterruptedException {
        Scenario scenario = ScenarioLoader.load("trade-war-2025");
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            long start = System.nanoTime();
            long n = 0;
            for (StoryGenerator g = new StoryGenerator(scenario, scenario.seed()); g.hasNext(); g.next()) {
                n++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (round == 1) {
                System.out.printf(Locale.ROOT, "simulate %,d events (whole trade-war-2025 story), generation only: %,.0f events/s%n", n, n / seconds);
            }
        }
        try (EventPublisher publisher = EventPublisher.create(config, EventPublisher.Mode.IDEMPOTENT)) {
            Simulator.Result result = new Simulator(scenario, new Simulator.Options(scenario.seed(), 0, 0, Optional.empty()), null)
                    .run(e -> e.publishTo(publisher));
            publisher.flush();
            System.out.printf(Locale.ROOT, "simulate %,d events published at --speed 0 --rate 0: %,.0f events/s (%.1f s)%n",
                    result.events(), result.eventsPerSecond(), result.took().toNanos() / 1e9);
        }
    }

    /** Peak heap use across all heap pools since the last reset. */
    static final class PeakHeap {
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();

        PeakHeap() {
            reset();
        }

        /** Sum of the heap pools' peaks: an upper bound, dominated by how large the GC lets the young generation grow. */
        long peakAndReset() {
            long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            oldPeak = pools.stream().filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            reset();
            return peak;
        }

        /** Peak of the old generation at the last {@link #peakAndReset()}: what the run actually retained. */
        long oldPeak() {
            return oldPeak;
        }

        private long oldPeak;

        private void reset() {
            System.gc();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        }
    }
}
