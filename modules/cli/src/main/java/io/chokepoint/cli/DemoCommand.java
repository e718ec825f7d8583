package io.chokepoint.cli;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.DevClusterOptions;
import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.simulator.Scenario;
import io.chokepoint.producers.simulator.ScenarioLoader;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.command.StreamsCommand;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Chokepoint on the embedded Kafka broker and schema registry.",
                "",
                "Starts a real Kafka broker (KRaft) and a real schema registry, creates the topics, checks one shipment "
                        + "milestone end to end, then runs everything in one process: the trade-war-2025 simulator, the delay "
                        + "aggregation with rule evaluation, the dashboard (http://localhost:9095/) and alert delivery, which "
                        + "prints every FIRING and RESOLVED alert as one line on stdout (--json: JSON lines) and posts it to "
                        + "each --webhook. Runs until Ctrl-C (or --duration)."},
        footer = {"", "Examples:", "  chokepoint demo",
                "  chokepoint demo --json --webhook http://localhost:8080/hook | tee alerts.jsonl",
                "  chokepoint demo --speed 28800 --duration 10m    # a story day every 3 s",
                "  chokepoint demo --live    # alerts on the wall clock, seconds after the events behind them",
                "  chokepoint demo --kafka-port 9092 --registry-port 8081 --data-dir /tmp/chokepoint"})
final class DemoCommand implements Callable<Integer> {

    public ChokepointConfig config;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long (e.g. 30s, 5m); default: until Ctrl-C.")
    String duration;

    @Option(names = "--kafka-port", description = "Kafka client port (default: a free port).")
    int kafkaPort;

    @Option(names = "--registry-port", description = "Schema registry port (default: a free port).")
    int registryPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the data (Kafka log, registry schemas, streams state) here; a later run resumes on it (default: a temporary directory, removed on exit).")
    Path dataDir;

    @Option(names = "--scenario", paramLabel = "NAME|FILE", defaultValue = "trade-war-2025",
            description = "Scenario the simulator plays (default: ${DEFAULT-VALUE}).")
    String scenario;

    // a story day per second: the licence stall's alerts fire within a minute of the page answering and
    // resolve within two, while one streams instance on 2 cores still keeps pace with the simulator
    @Option(names = "--speed", paramLabel = "N", defaultValue = "86400",
            description = "Story seconds per wall-clock second (default ${DEFAULT-VALUE}: a story day every second, the whole "
                    + "six-month story in about 3 minutes); 0 = flat out.")
    double speed;

    @Option(names = "--smoke-only", description = "Only start the cluster and check one event end to end; run no pipeline.")
    boolean smokeOnly;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9095",
            description = "Port of the dashboard and query API (default ${DEFAULT-VALUE}; 0 = any free port; -1 = none).")
    int httpPort;

    @Option(names = "--live", description = "Stamp each story event with the time it is sent (delays kept), so alerts fire on "
            + "the wall clock as in production; rules' 'for' durations then count in real time.")
    boolean live;

    @Option(names = "--json", description = "Print each alert notification as a JSON line (the webhook payload) instead of a readable line.")
    boolean json;

    @Option(names = "--webhook", paramLabel = "URL", description = "Also deliver every alert to this webhook (Alertmanager-style JSON). Repeatable.")
    List<URI> webhooks = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // stdout carries data only (the alert JSON lines), so `demo | jq` works; everything else is status on stderr
        PrintWriter status = spec.commandLine().getErr();
        Optional<Duration> stopAfter = Optional.ofNullable(duration).map(d -> ChokepointConfig.parseDuration("--duration", d));
        DevClusterOptions options = DevClusterOptions.defaults().withPorts(kafkaPort, registryPort)
                // a signal runs every shutdown hook at once: the registry must outlive the demo's orderly close
                .withExitGrace(DemoShutdown.GRACE);
        if (dataDir != null) {
            options = options.withDataDir(dataDir);
        }
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("--speed must be 0 (flat out) or a positive number of story seconds per second, got " + speed);
        }
        DemoRouting routing = new DemoRouting(json, webhooks);
        // read before anything starts: a typo in --scenario costs no cluster start
        Scenario story = ScenarioLoader.load(scenario);
        if (!smokeOnly && httpPort > 0) {
            requireFree(httpPort);
            status.printf("Chokepoint demo: the dashboard will answer at http://localhost:%d/ in a few seconds%n", httpPort);
        }
        DemoShutdown shutdown = DemoShutdown.install();
        try {
            status.println("Starting the embedded Kafka broker (KRaft) and schema registry ...");
            status.flush();
            try (DevCluster cluster = DevCluster.start(options)) {
                run(cluster, story, routing, stopAfter, shutdown, status);
                status.println("Stopping the embedded cluster ...");
                status.flush();
            }
            if (dataDir == null) {
                status.println("Stopped; the temporary data directory is removed.");
            } else {
                status.println("Stopped; data kept in " + dataDir + ".");
            }
            status.flush();
            return 0;
        } finally {
            shutdown.done();
        }
    }

    private void run(DevCluster cluster, Scenario story, DemoRouting routing, Optional<Duration> stopAfter, DemoShutdown shutdown, PrintWriter status) throws Exception {
        ChokepointConfig effective = config.with(Map.of(
                ChokepointConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                ChokepointConfig.SCHEMA_REGISTRY_URL, cluster.schemaRegistryUrl(),
                StreamsCommand.HTTP_PORT, Integer.toString(httpPort)));
        status.printf("  Kafka           %s   (ready in %.1f s)%n", cluster.bootstrapServers(), cluster.kafkaStartTime().toMillis() / 1000.0);
        status.printf("  Schema registry %s   (ready in %.1f s)%n", cluster.schemaRegistryUrl(), cluster.registryStartTime().toMillis() / 1000.0);
        status.printf("  Data            %s%s%n", cluster.workDir(), dataDir == null ? "   (temporary, removed on exit)" : "");
        if (shutdown.requested()) {
            return;
        }
        Topics topics = effective.topics();
        try (Admin admin = Admin.create(effective.kafkaClientProperties())) {
            TopicProvisioner.Report report = new TopicProvisioner(admin, topics, (short) 1).ensureAll();
            status.printf("  Topics          %d created, %d present%n", report.created().size(),
                    report.outcomes().size() - report.created().size());
        }
        smokeTest(effective, topics.shipmentMilestones(), story.start(), status);

        status.printf("%nPoint other commands at it:%n  ./chokepoint --bootstrap-servers %s --schema-registry-url %s ...%n",
                cluster.bootstrapServers(), cluster.schemaRegistryUrl());
        status.flush();
        if (shutdown.requested()) {
            return;
        }
        if (dataDir == null) {
            // the streams state lives in the temporary data directory on purpose: Kafka's warning about it is noise here
            System.setProperty(StreamsProperties.TEMPORARY_STATE_DIR_PROPERTY, cluster.workDir().toString());
        }
        DemoPipeline pipeline = smokeOnly ? null : DemoPipeline.start(effective, cluster.workDir(), story, speed, live, routing, status);
        try {
            String running = stopAfter.map(d -> "Running for " + d.toSeconds() + " s").orElse("Running; press Ctrl-C to stop");
            status.println(pipeline == null ? running + "." : pipeline.dashboardUrl()
                    .map(url -> "\nReady: dashboard " + url + "  (" + running + ")").orElse(running + "."));
            status.flush();
            shutdown.await(stopAfter);
        } finally {
            if (pipeline != null) {
                status.println("Stopping the simulator, alert delivery and streams ...");
                status.flush();
                pipeline.close();
                // after close, so the simulator's outcome is final ("stopped after N events", not "running")
                status.println(pipeline.summary());
                status.flush();
            }
        }
    }

    /** Fails before anything starts, rather than after the cluster did, when the dashboard's port is taken. */
    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalArgumentException("--http-port: port " + port
                    + " is in use (another demo or streams instance?); choose another with --http-port (0 = any free port)");
        }
    }

    /**
     * One milestone through the registry-backed serde and the broker, read back and decoded. It is
     * stamped a week before the story starts: a later time would move its partition's event-time
     * clock past the story's first weeks, whose facts would then arrive too late for their windows.
     */
    private static void smokeTest(ChokepointConfig config, Topic<String, ShipmentMilestone> topic, Instant storyStart,
                                  PrintWriter out) throws Exception {
        Instant planned = storyStart.minus(Duration.ofDays(7));
        ShipmentMilestone milestone = ShipmentMilestone.newBuilder()
                .setEventId("demo-smoke|CUSTOMS_HOLD").setShipmentId("DEMO-SMOKE-1").setHsCode("850511")
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.CUSTOMS_HOLD)
                .setPlannedAt(planned).setActualAt(planned.plus(Duration.ofHours(52)))
                .setQuantityKg(1800.0).setCarrier("COSCO").build();
        Properties producerProps = config.kafkaClientProperties();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        RecordMetadata written;
        try (KafkaProducer<String, ShipmentMilestone> producer = new KafkaProducer<>(producerProps,
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            written = producer.send(new ProducerRecord<>(topic.name(), null, milestone.getActualAt().toEpochMilli(),
                    milestone.getHsCode(), milestone)).get(30, TimeUnit.SECONDS);
        }
        Properties consumerProps = config.kafkaClientProperties();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "chokepoint-demo-smoke");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, ShipmentMilestone> consumer = new KafkaConsumer<>(consumerProps,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ShipmentMilestone> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getEventId().equals(milestone.getEventId())) {
                        ShipmentMilestone read = record.value();
                        double delayHours = Duration.between(read.getPlannedAt(), read.getActualAt()).toMinutes() / 60.0;
                        out.printf("  Smoke event     %s %s %s→%s delay %.1f h, written to %s-%d@%d and read back through the registry%n",
                                read.getShipmentId(), read.getMilestone(), read.getOrigin(), read.getDestination(), delayHours,
                                written.topic(), written.partition(), written.offset());
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("the smoke event was written but could not be read back within 30 s");
    }
}
