package io.chokepoint.alerts;

import io.chokepoint.alerts.http.AlertsHttpServer;
import io.chokepoint.http.HttpSecurity;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.routing.RoutingConfigLoader;
import io.chokepoint.alerts.routing.RoutingReloader;
import io.chokepoint.alerts.silence.SilenceStore;
import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code chokepoint alerts} process: creates its topics if missing, reads silences, starts
 * the dispatcher and the HTTP server. Built from the configuration alone.
 */
public final class AlertsService implements AutoCloseable {

    private final SilenceStore silences;
    private final AlertDispatcher dispatcher;
    private final AlertsHttpServer http;
    private final PrometheusMeterRegistry registry;
    private final RoutingReloader reloader;

    private AlertsService(SilenceStore silences, AlertDispatcher dispatcher, AlertsHttpServer http, PrometheusMeterRegistry registry,
                          RoutingReloader reloader) {
        this.reloader = reloader;
        this.silences = silences;
        this.dispatcher = dispatcher;
        this.http = http;
        this.registry = registry;
    }

    private static final Duration RELOAD_CHECK = Duration.ofSeconds(1);

    public static AlertsService start(ChokepointConfig config, PrintStream stdout) {
        AlertsSettings settings = AlertsSettings.from(config);
        RoutingConfig routing = RoutingConfigLoader.load(settings.routingFile().orElseThrow(() ->
                new ChokepointConfig.ConfigProblem(AlertsSettings.ROUTING_FILE, "is required: the routing file (--routing FILE)")), config);
        return start(config, settings, routing, stdout);
    }

    public static AlertsService start(ChokepointConfig config, AlertsSettings settings, RoutingConfig routing, PrintStream stdout) {
        KafkaReachability.require(config);
        createMissingTopics(config);
        Clock clock = Clock.systemUTC();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SilenceStore silences = openSilences(config, clock);
        AlertDispatcher dispatcher = null;
        try {
            dispatcher = new AlertDispatcher(config, settings, routing, silences, new AlertMetrics(registry), clock, stdout).start();
            AlertDispatcher d = dispatcher;
            AlertsHttpServer http = settings.httpPort() < 0 ? null
                    : new AlertsHttpServer(settings.httpHost(), settings.httpPort(), HttpSecurity.from(config), registry, silences, d::ready, clock);
            // the routing file is re-read when it changes or on SIGHUP; a bad one keeps the running tree
            RoutingReloader reloader = settings.routingFile().map(f -> new RoutingReloader(f, config, d::reload, RELOAD_CHECK)).orElse(null);
            return new AlertsService(silences, dispatcher, http, registry, reloader);
        } catch (RuntimeException e) {
            if (dispatcher != null) {
                dispatcher.close();
            }
            silences.close();
            throw e;
        }
    }

    /** Creates the dispatcher's own topics (silences, delivery progress) if missing; existing ones are left as they are. */
    public static void createMissingTopics(ChokepointConfig config) {
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            TopicProvisioner.createMissing(admin, config.alertDispatcherTopics().all(), config.replicationFactor());
        }
    }

    /** The silences of a deployment, for the HTTP API and {@code chokepoint alerts silence}. */
    public static SilenceStore openSilences(ChokepointConfig config, Clock clock) {
        CompactedTopicView view = new CompactedTopicView(config.alertDispatcherTopics().silences().name(), config.kafkaClientProperties());
        try {
            view.start(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
        return new SilenceStore(view, clock);
    }

    public boolean ready() {
        return dispatcher.ready();
    }

    public Optional<Throwable> failure() {
        return dispatcher.failure();
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public SilenceStore silences() {
        return silences;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.close();
        }
        if (http != null) {
            http.close();
        }
        dispatcher.close();
        silences.close();
        registry.close();
    }
}
