package io.chokepoint.streams.command;

import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code chokepoint streams}: runs the delay aggregation until SIGTERM / Ctrl-C, then closes
 * Kafka Streams cleanly (commit, flush state, leave the group) before the JVM exits.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Aggregate shipment delays per commodity (and, from the chokepoint CLI, evaluate alert rules). "
                + "Shipment milestones, tariff changes and licence decisions in, per-commodity windowed delay stats with "
                + "policy context out (exactly-once, dead letters to chokepoint-dlq). Runs until stopped (SIGTERM or "
                + "Ctrl-C); scale out by starting more instances with the same application id."},
        footer = {"", "Examples:",
                "  chokepoint streams --bootstrap-servers kafka:9092 --schema-registry-url http://sr:8081",
                "  chokepoint streams --application-id chokepoint-prod --state-dir /var/lib/chokepoint \\",
                "      --window-size 24h --window-advance 1h --window-grace 2h --overdue-margin 12h \\",
                "      --kafka-property num.stream.threads=2"})
public final class StreamsCommand implements Callable<Integer> {

    /** The instance's HTTP port (query API, dashboard, metrics, health), served by a {@link HostedService}. */
    public static final String HTTP_PORT = "streams.http.port";

    /**
     * A service that lives as long as the running application and is hosted by it — the
     * dashboard, which lives in a module that depends on this one. Started just before the
     * application, closed before it.
     */
    @FunctionalInterface
    public interface HostedService {
        /** Starts the service (before the application starts); the message returned (may be empty) is printed after the start line. */
        Started start(StreamsRuntime runtime, ChokepointConfig config);
    }

    /** A started {@link HostedService}: what to tell the user, and how to stop it. */
    public record Started(String message, AutoCloseable service) {
    }

    /** Set by the CLI before {@link #call()}: file, environment and global flags. */
    public ChokepointConfig config;

    private final java.util.List<io.chokepoint.streams.TopologyExtension> extensions;
    private final java.util.List<HostedService> hosted;

    public StreamsCommand() {
        this(java.util.List.of());
    }

    /** A command whose application also hosts {@code extensions} (the CLI adds rule evaluation). */
    public StreamsCommand(java.util.List<io.chokepoint.streams.TopologyExtension> extensions) {
        this(extensions, java.util.List.of());
    }

    /** ... and the services it hosts beside the topology (the CLI adds the dashboard). */
    public StreamsCommand(java.util.List<io.chokepoint.streams.TopologyExtension> extensions, java.util.List<HostedService> hosted) {
        this.extensions = java.util.List.copyOf(extensions);
        this.hosted = java.util.List.copyOf(hosted);
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (streams.application.id, default chokepoint-streams).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the state stores live (streams.state.dir, default Kafka's).")
    String stateDir;

    @Option(names = "--application-server", paramLabel = "HOST:PORT", description = "Endpoint advertised for interactive queries (streams.application.server).")
    String applicationServer;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port of this instance: dashboard, query API, /metrics, /health (streams.http.port, default 9095; 0 = any free port, -1 = none). "
            + "With several instances set --application-server to this host and port: queries are forwarded there.")
    String httpPort;

    @Option(names = "--window-size", paramLabel = "DURATION", description = "Window length (streams.window.size, default 24h).")
    String windowSize;

    @Option(names = "--window-advance", paramLabel = "DURATION", description = "Hop between windows (streams.window.advance, default 1h).")
    String windowAdvance;

    @Option(names = "--window-grace", paramLabel = "DURATION", description = "Grace for late observations (streams.window.grace, default 2h).")
    String windowGrace;

    @Option(names = "--overdue-margin", paramLabel = "DURATION", description = "Lateness past plan before a shipment is overdue (streams.overdue.margin, default 24h).")
    String overdueMargin;

    @Option(names = "--emit-interval", paramLabel = "DURATION", description = "Wall-clock time between live updates of a window (streams.emit.interval, default 5s; 0 = every change).")
    String emitInterval;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Any Kafka Streams / client property (same as --set kafka.KEY=VALUE); repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--create-topics", description = "Create missing catalogue topics before starting.")
    boolean createTopics;

    @Override
    // the shutdown hook closes the runtime on SIGTERM while the try-with-resources still owns it (close is idempotent)
    @SuppressWarnings("try")
    public Integer call() throws Exception {
        ChokepointConfig effective = config.with(overrides());
        StreamsSettings settings = StreamsSettings.from(effective); // a bad duration fails here with its key
        PrintWriter out = spec.commandLine().getOut();
        // Kafka Streams creates its clients at once, and they refuse a bootstrap address that does not resolve
        KafkaReachability.requireResolvable(effective);
        try (StreamsRuntime runtime = new StreamsRuntime(effective, settings, extensions)) {
            java.util.List<AutoCloseable> services = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.List<String> messages = new java.util.ArrayList<>();
            try {
                // hosted services first: a port in use or a bad setting stops the command before it joins the group
                for (HostedService h : hosted) {
                    Started started = h.start(runtime, effective);
                    services.add(0, started.service());
                    if (!started.message().isEmpty()) {
                        messages.add(started.message());
                    }
                }
                // then the brokers: a mistake in the settings is reported before any network wait
                KafkaReachability.require(effective);
                if (createTopics) {
                    try (Admin admin = Admin.create(effective.kafkaClientProperties())) {
                        new TopicProvisioner(admin, effective.topics(), effective.replicationFactor()).ensureAll();
                    }
                }
            } catch (Exception e) {
                closeAll(services);
                throw e;
            }
            Thread hook = new Thread(() -> {
                closeAll(services); // the HTTP side first: it reads the stores the runtime closes
                runtime.close();
            }, "chokepoint-streams-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                runtime.start();
                out.printf("chokepoint streams: %s running, windows %s every %s, grace %s; stop with Ctrl-C%n",
                        effective.get(StreamsProperties.APPLICATION_ID, StreamsProperties.DEFAULT_APPLICATION_ID),
                        human(settings.windowSize()), human(settings.windowAdvance()), human(settings.grace()));
                messages.forEach(m -> out.println("  " + m));
                out.flush();
                while (!runtime.awaitStop(Duration.ofSeconds(60))) {
                    // wait for SIGTERM (the hook closes the runtime) or a fatal failure
                }
            } finally {
                closeAll(services);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of SIGTERM: the hook is doing the clean close
            }
            if (runtime.failure().isPresent()) {
                spec.commandLine().getErr().println("chokepoint streams: stopped after a failure: "
                        + StreamsRuntime.rootMessage(runtime.failure().get()));
                return 1;
            }
            out.printf("chokepoint streams: stopped cleanly, %d record(s) dead-lettered%n", runtime.deadLetters().total());
            return 0;
        }
    }

    private static void closeAll(java.util.List<AutoCloseable> services) {
        for (AutoCloseable service : services) {
            try {
                service.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(StreamsCommand.class).warn("could not close {}: {}", service, e.toString());
            }
            services.remove(service);
        }
    }

    private Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        put(o, StreamsProperties.APPLICATION_ID, applicationId);
        put(o, StreamsProperties.STATE_DIR, stateDir);
        put(o, StreamsProperties.APPLICATION_SERVER, applicationServer);
        put(o, HTTP_PORT, httpPort);
        put(o, StreamsSettings.WINDOW_SIZE, windowSize);
        put(o, StreamsSettings.WINDOW_ADVANCE, windowAdvance);
        put(o, StreamsSettings.WINDOW_GRACE, windowGrace);
        put(o, StreamsSettings.OVERDUE_MARGIN, overdueMargin);
        put(o, StreamsSettings.EMIT_INTERVAL, emitInterval);
        kafkaProperties.forEach((k, v) -> o.put(ChokepointConfig.KAFKA_PREFIX + k, v));
        return o;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
