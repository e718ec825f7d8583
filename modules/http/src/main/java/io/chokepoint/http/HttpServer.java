package io.chokepoint.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The HTTP side of a Chokepoint process (the alert dispatcher, each streams instance): one
 * Javalin server with {@code /metrics} (Prometheus text), {@code /health/live},
 * {@code /health/ready} (503 until {@code ready} holds) and errors as JSON
 * ({@code {"error": "..."}}), plus the routes of the component that hosts it.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin app;

    private HttpServer(Javalin app) {
        this.app = app;
    }

    /** A server to bind to {@code host:port} (port 0: any free port). */
    public static Builder on(String host, int port) {
        return new Builder(host, port);
    }

    /** The port bound (the free one chosen when asked for 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private PrometheusMeterRegistry metrics;
        private BooleanSupplier ready = () -> true;
        private final List<Consumer<JavalinConfig>> components = new ArrayList<>();

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
        }

        /** Serves this registry's scrape at {@code /metrics}. */
        public Builder metrics(PrometheusMeterRegistry registry) {
            this.metrics = registry;
            return this;
        }

        /** What {@code /health/ready} reports: 200 UP while true, 503 DOWN otherwise. */
        public Builder readiness(BooleanSupplier ready) {
            this.ready = Objects.requireNonNull(ready, "ready");
            return this;
        }

        /** The hosting component's routes. */
        public Builder routes(Consumer<RoutesConfig> routes) {
            components.add(cfg -> routes.accept(cfg.routes));
            return this;
        }

        /** Anything else the component configures up front: static files, webjars. */
        public Builder configure(Consumer<JavalinConfig> configuration) {
            components.add(configuration);
            return this;
        }

        public HttpServer start() {
            PrometheusMeterRegistry registry = metrics;
            BooleanSupplier readiness = ready;
            Javalin app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                RoutesConfig routes = cfg.routes;
                if (registry != null) {
                    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
                }
                routes.get("/health/live", ctx -> Json.send(ctx, 200, Json.object().put("status", "UP")));
                routes.get("/health/ready", ctx -> {
                    boolean ok = readiness.getAsBoolean();
                    Json.send(ctx, ok ? 200 : 503, Json.object().put("status", ok ? "UP" : "DOWN"));
                });
                routes.exception(Exception.class, (e, ctx) -> {
                    LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), e);
                    Json.problem(ctx, 500, "internal error: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                });
                routes.error(404, ctx -> {
                    if (!Json.isJson(ctx)) {
                        Json.problem(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                    }
                });
                components.forEach(c -> c.accept(cfg));
            });
            app.start(host, port);
            return new HttpServer(app);
        }
    }
}
