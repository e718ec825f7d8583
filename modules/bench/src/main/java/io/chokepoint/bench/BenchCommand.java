package io.chokepoint.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsSettings;
import io.chokepoint.streams.dlq.DeadLetterCounter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code chokepoint bench}: the delay aggregation on the embedded cluster against the raw Kafka
 * baselines and the textbook DSL topology, over the same pre-loaded topic in one run, with the
 * default settings; prints a table and writes the figures as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the delay aggregation, alert delivery and alert latency against raw-Kafka baselines in the same run.",
                "",
                "Runs on its own embedded Kafka broker + schema registry, with default settings: A a plain consumer "
                        + "+ HashMap (the physical limit), B a transactional passthrough, B' the same passthrough by Kafka Streams, "
                        + "C the textbook windowedBy + suppress topology, then the topology itself, all exactly-once where they write, "
                        + "each measured after a warm-up round; then a cardinality sweep over "
                        + "the number of commodities and of open shipments; then alert delivery: the dispatcher against a plain "
                        + "HttpClient posting the same signed payloads; then alert latency: milestone sent -> FIRING committed "
                        + "on disruption-alerts, against produce -> consume."},
        footer = {"", "Examples:",
                "  chokepoint bench",
                "  chokepoint bench --events 200000 --commodities 1000 --out bench.json",
                "  chokepoint bench --sweep-commodities 100,1000,5600 --sweep-open-shipments 1000,10000,100000",
                "  chokepoint bench --sweep-commodities= --sweep-open-shipments= --delivery-notifications 0 --latency-rates 10000"})
public final class BenchCommand implements Callable<Integer> {

    /** Set by the CLI; the benchmark always runs on its own embedded cluster, so only bench settings are read from it. */
    public ChokepointConfig config;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", description = "Milestones in the measured span (default ${DEFAULT-VALUE}).")
    int events = 100_000;

    @Option(names = "--commodities", paramLabel = "N", description = "Commodities of the main run (default ${DEFAULT-VALUE}).")
    int commodities = 1_000;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of every topic (default ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--warm-up-events", paramLabel = "N",
            description = "Milestones of a warm-up round of every contestant before the measured one, on a topic of its own, "
                    + "not counted (default ${DEFAULT-VALUE}; 0 skips it). Without it the first runs are measured while the JIT "
                    + "compiler still takes most of a core.")
    int warmUpEvents = 20_000;

    @Option(names = "--sweep-commodities", paramLabel = "N,...",
            description = "Commodity counts of the sweep (default ${DEFAULT-VALUE}; empty to skip).")
    String sweepCommodities = "100,1000,5600";

    @Option(names = "--sweep-open-shipments", paramLabel = "N,...",
            description = "Open shipments per commodity of the second sweep, at --sweep-open-commodities commodities (default ${DEFAULT-VALUE}; empty to skip).")
    String sweepOpenShipments = "1000,10000";

    @Option(names = "--sweep-open-commodities", paramLabel = "N", description = "Commodities of the open-shipment sweep (default ${DEFAULT-VALUE}).")
    int sweepOpenCommodities = 10;

    @Mixin
    DeliveryBench.Options delivery = new DeliveryBench.Options();

    @Mixin
    AlertLatencyBench.Options alertLatency = new AlertLatencyBench.Options();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the figures as JSON here (default ${DEFAULT-VALUE}).")
    Path out = Path.of("bench.json");

    @Override
    public Integer call() throws Exception {
        if (events < 2 || commodities < 1 || partitions < 1 || sweepOpenCommodities < 1) {
            throw new ParameterException(spec.commandLine(), "--events must be at least 2, --commodities, --partitions and --sweep-open-commodities at least 1");
        }
        if (warmUpEvents < 0) {
            throw new ParameterException(spec.commandLine(), "--warm-up-events must not be negative");
        }
        PrintWriter w = spec.commandLine().getOut();
        StreamsSettings settings = StreamsSettings.defaults();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("windowSize", settings.windowSize().toString(), "windowAdvance", settings.windowAdvance().toString(),
                "grace", settings.grace().toString(), "emitInterval", settings.emitInterval().toString(), "processingGuarantee", "exactly_once_v2",
                "commitIntervalMs", 100, "partitions", partitions));
        counts("--sweep-commodities", sweepCommodities);
        counts("--sweep-open-shipments", sweepOpenShipments);
        counts("--latency-rates", alertLatency.rates);
        if (alertLatency.firings < 1) {
            throw new ParameterException(spec.commandLine(), "--latency-firings must be at least 1");
        }
        if (delivery.notifications < 0 || delivery.warmUp < 0 || delivery.progressRecords < 0) {
            throw new ParameterException(spec.commandLine(), "--delivery-notifications, --delivery-warm-up and --delivery-progress-records "
                    + "must not be negative");
        }
        if (delivery.rate < 1 || delivery.latencySeconds < 1 || delivery.progressDays < 1) {
            throw new ParameterException(spec.commandLine(), "--delivery-rate, --delivery-latency-seconds and --delivery-progress-days "
                    + "must be at least 1");
        }
        w.printf(Locale.ROOT, "chokepoint bench: %,d milestones over 48 h, %,d commodities, %d partitions; default settings "
                        + "(%s windows hopping %s, %s grace, live every %s, exactly-once, commit 100 ms)%n", events, commodities, partitions,
                human(settings.windowSize()), human(settings.windowAdvance()), human(settings.grace()), human(settings.emitInterval()));
        w.flush();
        try (DevCluster cluster = DevCluster.start()) {
            return run(cluster, settings, json, w);
        }
    }

    /** The counts of a sweep option: positive integers separated by commas, or none (empty skips the sweep). */
    List<Integer> counts(String option, String value) {
        List<Integer> counts = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                int n = Integer.parseInt(part.strip());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                counts.add(n);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), option + ": '" + part.strip() + "' is not a positive whole number");
            }
        }
        return counts;
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** The benchmark on a running cluster (the command starts its own; tests share theirs). */
    int run(DevCluster cluster, StreamsSettings settings, Map<String, Object> json, PrintWriter w) throws Exception {
        Bench bench = new Bench(cluster, settings, partitions, w);
        Workload main = new Workload(events, commodities, 0);
        if (warmUpEvents > 0) {
            json.put("warmUp", bench.warmUp(new Workload(Math.max(2, warmUpEvents), commodities, 0)));
        }
        Map<String, Object> mainFigures = bench.main(main);
        json.put("main", mainFigures);
        if (mainFigures.get("topology") instanceof Map<?, ?> topology && topology.get("eventsPerSecond") instanceof Double rate) {
            json.put("changeDetector", ChangeDetectorCost.run(rate, main, w));
        }
        List<Map<String, Object>> sweep = new ArrayList<>();
        for (int n : counts("--sweep-commodities", sweepCommodities)) {
            sweep.add(bench.topologyOnly(new Workload(events, n, 0), "commodities"));
        }
        json.put("commoditySweep", sweep);
        List<Map<String, Object>> openSweep = new ArrayList<>();
        for (int n : counts("--sweep-open-shipments", sweepOpenShipments)) {
            openSweep.add(bench.topologyOnly(new Workload(events, sweepOpenCommodities, n), "open shipments per commodity"));
        }
        json.put("openShipmentSweep", openSweep);
        if (delivery.notifications > 0) {
            json.put("delivery", DeliveryBench.run(cluster, delivery, w));
        }
        List<Map<String, Object>> latency = new ArrayList<>();
        for (int rate : counts("--latency-rates", alertLatency.rates)) {
            latency.add(AlertLatencyBench.run(cluster, rate, alertLatency.firings, w));
        }
        json.put("alertLatency", latency);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
        w.printf(Locale.ROOT, "figures written to %s%n", out.toAbsolutePath());
        w.flush();
        return 0;
    }

    /** One benchmark session on one cluster. */
    static final class Bench {
        private final DevCluster cluster;
        private final StreamsSettings settings;
        private final int partitions;
        private final PrintWriter w;
        private double baselineB;

        Bench(DevCluster cluster, StreamsSettings settings, int partitions, PrintWriter w) {
            this.cluster = cluster;
            this.settings = settings;
            this.partitions = partitions;
            this.w = w;
        }

        /** Every contestant once over a smaller topic of its own, so that the measured round runs compiled code. */
        Map<String, Object> warmUp(Workload workload) throws Exception {
            Scope scope = scope(workload);
            try (Admin admin = Admin.create(scope.config.kafkaClientProperties())) {
                Round round = round(scope, workload, admin);
                w.printf(Locale.ROOT, "warm-up round, not counted: A %,.0f, B %,.0f, B' %,.0f, C %,.0f, topology %,.0f events/s%n",
                        round.a.rate(), round.b.rate(), round.streamsB.rate(), round.c.rate(), round.d.rate());
                w.flush();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("events", workload.events());
                json.put("A", round.a.rate());
                json.put("B", round.b.rate());
                json.put("B_kafkaStreams", round.streamsB.rate());
                json.put("C", round.c.rate());
                json.put("topology", round.d.rate());
                return json;
            }
        }

        private record Round(Baselines.Measured a, Baselines.Measured b, TopologyRun.Result streamsB, TopologyRun.Result c, TopologyRun.Result d,
                             Properties topologyProps) {
        }

        /** A, B, B', C and the topology, one after the other, over the scope's pre-loaded topic. */
        private Round round(Scope scope, Workload workload, Admin admin) throws Exception {
            long records = workload.records();
            Baselines.Measured a = Baselines.plainConsumer(scope.config, scope.topics, scope.input(), records);
            String passthrough = scope.input() + "-passthrough";
            String streamsPassthrough = scope.input() + "-streams-passthrough";
            String peerOut = scope.input() + "-peer-stats";
            admin.createTopics(List.of(new NewTopic(passthrough, partitions, (short) 1), new NewTopic(streamsPassthrough, partitions, (short) 1),
                    new NewTopic(peerOut, partitions, (short) 1))).all().get();
            Baselines.Measured b = Baselines.transactionalPassthrough(scope.config, scope.input(), passthrough, records);
            TopologyRun.Result streamsB = TopologyRun.run(StreamsPassthrough.build(scope.input(), streamsPassthrough),
                    props(scope, "passthrough"), admin, scope.input(), records);
            TopologyRun.Result c = TopologyRun.run(TextbookTopology.build(settings, scope.topics, scope.input(), peerOut),
                    props(scope, "peer"), admin, scope.input(), records);
            Properties topologyProps = props(scope, "topology");
            TopologyRun.Result d = TopologyRun.run(DelayAggregation.build(settings, scope.topics), topologyProps,
                    admin, scope.input(), records, DelayAggregation.STATS_STORE);
            return new Round(a, b, streamsB, c, d, topologyProps);
        }

        Map<String, Object> main(Workload workload) throws Exception {
            Scope scope = scope(workload);
            long records = workload.records();
            try (Admin admin = Admin.create(scope.config.kafkaClientProperties())) {
                Round round = round(scope, workload, admin);
                Baselines.Measured a = round.a;
                Baselines.Measured b = round.b;
                TopologyRun.Result streamsB = round.streamsB;
                TopologyRun.Result c = round.c;
                TopologyRun.Result d = round.d;
                Properties topologyProps = round.topologyProps;
                baselineB = b.rate();
                TopologyRun.Recovery recovery = TopologyRun.recover(DelayAggregation.build(settings, scope.topics),
                        withNewStateDir(scope, topologyProps), DelayAggregation.STATS_STORE, d.historyRecords());

                long windowsWithData = OutputBound.windowsWithData(workload, settings);
                long finals = CommittedRecords.count(scope.config, scope.topics.commodityDelayStats().name());
                long liveViews = CommittedRecords.count(scope.config, scope.topics.commodityDelayCurrent().name());
                long liveBound = OutputBound.liveBound(workload, settings, d.seconds());
                w.println();
                w.printf(Locale.ROOT, "%-42s %12s %7s %7s %9s %12s %14s %14s%n", "run", "events/s", "x A", "x B", "out/in", "changelog/in",
                        "state B/comm.", "heap B/comm.");
                row("A plain consumer + HashMap (no FT)", a.rate(), a.rate(), b.rate(), null, workload);
                row("B transactional passthrough", b.rate(), a.rate(), b.rate(), null, workload);
                row("B' Kafka Streams passthrough (same EOS)", streamsB.rate(), a.rate(), b.rate(), streamsB, workload);
                row("C textbook windowedBy+suppress (DDSketch)", c.rate(), a.rate(), b.rate(), c, workload);
                row("topology (DelayAggregation.build)", d.rate(), a.rate(), b.rate(), d, workload);
                w.printf(Locale.ROOT, "CPU of the whole process while each was measured (%d cores here; the broker and the JIT compiler "
                        + "share them):%n", Runtime.getRuntime().availableProcessors());
                cpuRow("A", a.cpu(), records);
                cpuRow("B", b.cpu(), records);
                cpuRow("B'", streamsB.cpu(), records);
                cpuRow("C", c.cpu(), records);
                cpuRow("topology", d.cpu(), records);
                w.printf(Locale.ROOT, "topology / C: %.2f x; output %,d finals (required: %,d, one per commodity-window with data) "
                                + "+ %,d live views (bound: %,d, one per commodity per emit interval)%n",
                        d.rate() / c.rate(), finals, windowsWithData, liveViews, liveBound);
                w.printf(Locale.ROOT, "restart on an empty state directory: every task running and the window history whole again in %.1f s "
                                + "(%,d changelog records restored, %,d finals refilled from the finals topic)%n",
                        recovery.seconds(), recovery.restoredChangelogRecords(), recovery.historyRecords());
                w.flush();

                Map<String, Object> json = new LinkedHashMap<>();
                json.put("events", workload.events());
                json.put("commodities", workload.commodities());
                json.put("inputRecords", records);
                json.put("A_plainConsumer", Map.of("eventsPerSecond", a.rate(), "cpu", cpu(a.cpu(), records)));
                json.put("B_transactionalPassthrough", Map.of("eventsPerSecond", b.rate(), "cpu", cpu(b.cpu(), records)));
                json.put("B_kafkaStreamsPassthrough", figures(streamsB, a.rate(), b.rate(), workload));
                json.put("C_textbookDsl", figures(c, a.rate(), b.rate(), workload));
                Map<String, Object> topology = figures(d, a.rate(), b.rate(), workload);
                topology.put("ratioToC", d.rate() / c.rate());
                topology.put("windowsWithData", windowsWithData);
                topology.put("finals", finals);
                topology.put("liveViews", liveViews);
                topology.put("liveViewBound", liveBound);
                topology.put("recoverySeconds", recovery.seconds());
                topology.put("recoveryChangelogRecords", recovery.restoredChangelogRecords());
                topology.put("recoveryHistoryRecords", recovery.historyRecords());
                json.put("topology", topology);
                return json;
            }
        }

        Map<String, Object> topologyOnly(Workload workload, String what) throws Exception {
            Scope scope = scope(workload);
            long records = workload.records();
            try (Admin admin = Admin.create(scope.config.kafkaClientProperties())) {
                TopologyRun.Result d = TopologyRun.run(DelayAggregation.build(settings, scope.topics), props(scope, "topology"),
                        admin, scope.input(), records);
                long measured = workload.events() + workload.commodities();
                // open shipments are loaded before the measured span; report the span's rate as well as the whole topic's
                double spanRate = measured / Math.max(1e-9, d.seconds() * measured / records);
                w.printf(Locale.ROOT, "sweep %-30s %,9d: %,10.0f events/s (%.2f x B), changelog/in %.2f, state %,d B/commodity, heap %,d B/commodity%n",
                        what, what.startsWith("open") ? workload.openShipmentsPerCommodity() : workload.commodities(), d.rate(),
                        d.rate() / baselineB, d.changelogRecords() / (double) records, d.stateBytes() / workload.commodities(),
                        d.heapBytes() / workload.commodities());
                w.printf(Locale.ROOT, "      changelog writes per input record by store: %s%n", changelogByStore(d, records));
                w.flush();
                Map<String, Object> json = figures(d, Double.NaN, baselineB, workload);
                json.put("openShipmentsPerCommodity", workload.openShipmentsPerCommodity());
                json.put("inputRecords", records);
                json.put("spanEventsPerSecondEstimate", spanRate);
                return json;
            }
        }

        /** Where the changelog writes go, so what bounds the figure can be named. */
        private static String changelogByStore(TopologyRun.Result r, long records) {
            StringBuilder sb = new StringBuilder();
            r.sentByTopic().entrySet().stream().filter(e -> e.getKey().endsWith("-changelog"))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sb.append(sb.isEmpty() ? "" : ", ")
                            .append(e.getKey().replaceFirst("^.*-topology-", "").replaceFirst("-changelog$", ""))
                            .append(String.format(Locale.ROOT, " %.2f", e.getValue() / (double) records)));
            return sb.toString();
        }

        private void row(String name, double rate, double a, double b, TopologyRun.Result r, Workload workload) {
            if (r == null) {
                w.printf(Locale.ROOT, "%-42s %,12.0f %7.2f %7.2f %9s %12s %14s %14s%n", name, rate, rate / a, rate / b, "-", "-", "-", "-");
            } else {
                w.printf(Locale.ROOT, "%-42s %,12.0f %7.2f %7.2f %9.3f %12.3f %,14d %,14d%n", name, rate, rate / a, rate / b,
                        r.outputRecords() / (double) r.inputRecords(), r.changelogRecords() / (double) r.inputRecords(),
                        r.stateBytes() / workload.commodities(), r.heapBytes() / workload.commodities());
            }
        }

        private void cpuRow(String name, CpuUse cpu, long records) {
            w.printf(Locale.ROOT, "  %-10s %4.2f cores busy, %5.1f µs of CPU per input record, %5.1f of them in its own threads; "
                            + "JIT compilation %4.1f s, GC %4.1f s of %4.1f s%n", name, cpu.cores(), cpu.processCpuSeconds() * 1e6 / records,
                    cpu.ownThreadsCpuSeconds() * 1e6 / records, cpu.jitSeconds(), cpu.gcSeconds(), cpu.wallSeconds());
        }

        private static Map<String, Object> cpu(CpuUse cpu, long records) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("coresBusy", cpu.cores());
            m.put("cpuMicrosPerInput", cpu.processCpuSeconds() * 1e6 / records);
            m.put("ownThreadsCpuMicrosPerInput", cpu.ownThreadsCpuSeconds() * 1e6 / records);
            m.put("jitSeconds", cpu.jitSeconds());
            m.put("gcSeconds", cpu.gcSeconds());
            return m;
        }

        private static Map<String, Object> figures(TopologyRun.Result r, double a, double b, Workload workload) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("commodities", workload.commodities());
            m.put("eventsPerSecond", r.rate());
            if (!Double.isNaN(a)) {
                m.put("ratioToA", r.rate() / a);
            }
            m.put("ratioToB", r.rate() / b);
            m.put("seconds", r.seconds());
            m.put("cpu", cpu(r.cpu(), r.inputRecords()));
            m.put("outputRecords", r.outputRecords());
            m.put("outputPerInput", r.outputRecords() / (double) r.inputRecords());
            m.put("changelogWrites", r.changelogRecords());
            m.put("changelogWritesPerInput", r.changelogRecords() / (double) r.inputRecords());
            m.put("stateBytesPerCommodity", r.stateBytes() / workload.commodities());
            m.put("heapBytesPerCommodity", r.heapBytes() / workload.commodities());
            return m;
        }

        private record Scope(ChokepointConfig config, Topics topics, Path stateDir) {
            String input() {
                return topics.shipmentMilestones().name();
            }
        }

        private Scope scope(Workload workload) throws Exception {
            String id = UUID.randomUUID().toString().substring(0, 6);
            ChokepointConfig config = cluster.config().with(Map.of(
                    "topic.prefix", "bench" + id + "-",
                    "topic.partitions", Integer.toString(partitions)));
            Topics topics = config.topics();
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                new TopicProvisioner(admin, topics, (short) 1).ensureAll();
            }
            w.printf(Locale.ROOT, "loading %,d records (%,d commodities, %,d open shipments each)...%n", workload.records(),
                    workload.commodities(), workload.openShipmentsPerCommodity());
            w.flush();
            workload.produceTo(config, topics, topics.shipmentMilestones().name());
            Path stateDir = Files.createTempDirectory("chokepoint-bench-");
            // the runs' state is temporary on purpose: Kafka's warning about a state dir under /tmp is noise here
            System.setProperty(StreamsProperties.TEMPORARY_STATE_DIR_PROPERTY, stateDir.toString());
            return new Scope(config, topics, stateDir);
        }

        private Properties props(Scope scope, String what) throws Exception {
            String appId = scope.topics.shipmentMilestones().name() + "-" + what;
            ChokepointConfig config = scope.config.with(Map.of(
                    StreamsProperties.APPLICATION_ID, appId,
                    StreamsProperties.STATE_DIR, Files.createTempDirectory(scope.stateDir, what).toString()));
            return StreamsProperties.from(config, settings, scope.topics, new DeadLetterCounter());
        }

        /** The same application on a new, empty state directory: a restart after a lost disk. */
        private static Properties withNewStateDir(Scope scope, Properties props) throws Exception {
            Properties restarted = new Properties();
            restarted.putAll(props);
            restarted.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(scope.stateDir, "restart").toString());
            return restarted;
        }
    }
}
