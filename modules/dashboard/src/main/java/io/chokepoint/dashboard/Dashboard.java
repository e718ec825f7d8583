package io.chokepoint.dashboard;

import io.chokepoint.dashboard.api.CommodityApi;
import io.chokepoint.dashboard.api.Forwarder;
import io.chokepoint.dashboard.stream.EventStream;
import io.chokepoint.dashboard.stream.StreamEndpoint;
import io.chokepoint.dashboard.view.AlertBoard;
import io.chokepoint.dashboard.view.PolicyTimeline;
import io.chokepoint.events.Topics;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.http.HttpSecurity;
import io.chokepoint.http.HttpServer;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.javalin.http.staticfiles.Location;
import io.javalin.util.JavalinBindException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;

/**
 * The HTTP side of one streams instance: the query API, the live feed ({@code /api/stream}),
 * the web page at {@code /}, {@code /metrics} and the health probes; ready only while the
 * streams client is RUNNING.
 */
public final class Dashboard implements AutoCloseable {

    private static final String WEB = "/io/chokepoint/dashboard/web";

    private final DashboardMetrics metrics;
    private final EventStream stream;
    private final LiveFeed feed;
    private final HttpServer server;

    private Dashboard(DashboardMetrics metrics, EventStream stream, LiveFeed feed, HttpServer server) {
        this.metrics = metrics;
        this.stream = stream;
        this.feed = feed;
        this.server = server;
    }

    /** Starts serving for {@code runtime}; {@code config} is the instance's effective configuration. */
    public static Dashboard start(StreamsRuntime runtime, ChokepointConfig config, DashboardSettings settings) {
        Topics topics = config.topics();
        KafkaStreams streams = runtime.streams();
        DashboardMetrics metrics = new DashboardMetrics(runtime, topics);
        // ids name this instance's run, so an id from another instance or an earlier run never resumes here
        EventStream stream = new EventStream(java.util.UUID.randomUUID().toString().substring(0, 8),
                settings.clientQueue(), settings.maxStreamClients(), settings.resumeBuffer());
        metrics.bindStream(stream);
        AlertBoard alerts = new AlertBoard(settings.alertHistory());
        PolicyTimeline policy = new PolicyTimeline(settings.policyHistory());
        CommodityApi api = new CommodityApi(runtime.queries(), streams, self(config).orElse(null), alerts, policy,
                CommodityCatalogue.defaultCatalogue(), new Forwarder(settings.forwardTimeout(), HttpSecurity.from(config).clientAuthorization()));
        StreamEndpoint endpoint = new StreamEndpoint(stream, settings.heartbeat(), Clock.systemUTC());
        byte[] openApi = resource(WEB + "/openapi.json");
        HttpSecurity security = HttpSecurity.from(config);
        HttpServer server;
        try {
            server = HttpServer.on(settings.host(), settings.port())
                    .security(security)
                    .metrics(metrics.registry())
                    .readiness(() -> streams.state() == KafkaStreams.State.RUNNING)
                    .configure(cfg -> {
                        cfg.staticFiles.enableWebjars();
                        cfg.staticFiles.add(files -> {
                            files.hostedPath = "/";
                            files.directory = WEB;
                            files.location = Location.CLASSPATH;
                        });
                    })
                    .routes(routes -> {
                        api.register(routes);
                        routes.get("/api/stream", endpoint::handle);
                        routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
                    })
                    .start();
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        LiveFeed feed = new LiveFeed(config, topics.commodityDelayCurrent(), stream, alerts, policy, metrics.registry());
        feed.start();
        return new Dashboard(metrics, stream, feed, server);
    }

    /**
     * The dashboard as a service hosted by {@code chokepoint streams} (see
     * {@link io.chokepoint.streams.command.StreamsCommand.HostedService}); none with {@code --http-port -1}.
     */
    public static io.chokepoint.streams.command.StreamsCommand.Started host(StreamsRuntime runtime, ChokepointConfig config) {
        DashboardSettings settings = DashboardSettings.from(config);
        if (!settings.enabled()) {
            return new io.chokepoint.streams.command.StreamsCommand.Started("", () -> { });
        }
        self(config).ifPresent(self -> {
            if (settings.port() != 0 && self.port() != settings.port()) {
                throw new ChokepointConfig.ConfigProblem(StreamsProperties.APPLICATION_SERVER, "port " + self.port()
                        + " must be the HTTP port " + settings.port() + " (--http-port): other instances forward queries to it");
            }
        });
        Dashboard dashboard;
        try {
            dashboard = start(runtime, config, settings);
        } catch (JavalinBindException e) {
            throw new ChokepointConfig.ConfigProblem(DashboardSettings.HTTP_PORT, "port " + settings.port() + " on "
                    + settings.host() + " is in use; choose another with --http-port (0 = any free port)");
        }
        String host = "0.0.0.0".equals(settings.host()) ? "localhost" : settings.host();
        return new io.chokepoint.streams.command.StreamsCommand.Started(
                "dashboard http://" + host + ":" + dashboard.port() + "/  (API /api/commodities, live feed /api/stream, /metrics, /health/ready)",
                dashboard);
    }

    public int port() {
        return server.port();
    }

    /** True once the alert and policy history is read (the alert panel is complete). */
    public boolean caughtUp() {
        return feed.caughtUp();
    }

    /** This instance's {@code application.server}, the address other instances forward to. */
    private static Optional<HostInfo> self(ChokepointConfig config) {
        return config.find(StreamsProperties.APPLICATION_SERVER)
                .or(() -> config.find(ChokepointConfig.KAFKA_PREFIX + StreamsConfig.APPLICATION_SERVER_CONFIG))
                .map(HostInfo::buildFromEndpoint);
    }

    private static byte[] resource(String path) {
        try (InputStream in = Dashboard.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard build lacks " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stream.close();
        server.close();
        feed.close();
        metrics.close();
    }
}
