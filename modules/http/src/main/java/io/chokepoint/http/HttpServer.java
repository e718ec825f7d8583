package io.chokepoint.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.plugin.bundled.GlobalHeadersConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The HTTP side of a Chokepoint process (the alert dispatcher, each streams instance): one
 * Javalin server with {@code /metrics} (Prometheus text), {@code /health/live},
 * {@code /health/ready} (503 until {@code ready} holds) and errors as JSON
 * ({@code {"error": "..."}}), plus the routes of the component that hosts it, all behind one
 * {@link HttpSecurity}: credentials for writes (and reads when asked), CORS, a request size and a
 * per-client rate limit on writes and refused logins, and security headers on every response.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final String PROBES = "/health/";

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

    /**
     * Refuses (and ends) a request too large, over the rate limit, or without the credentials it
     * needs. The rate limit counts only what costs or probes: writes (each one a Kafka record) and
     * requests whose credentials are refused (guessing). Reads with the right credentials, or none
     * needed, are never counted: they are answered from memory, a page polls them at its own
     * cadence from behind a shared address, and a peer instance forwards every user's query from
     * its one address; Jetty's bounded thread pool caps what they can take.
     */
    private static void admit(Context ctx, HttpSecurity guard, RequestRateLimit limit) {
        if (ctx.path().startsWith(PROBES)) {
            return;
        }
        long length = ctx.req().getContentLengthLong();
        if (length > guard.maxRequestBytes()) {
            refuse(ctx, 413, "request body of " + length + " bytes is over the limit of " + guard.maxRequestBytes()
                    + " (" + HttpSecurity.MAX_REQUEST_BYTES + ")");
            return;
        }
        boolean write = !READS.contains(ctx.method());
        boolean needed = write || (guard.authenticateReads() && ctx.method() != HandlerType.OPTIONS);
        boolean accepted = !needed || guard.accepts(ctx.header("Authorization"));
        if ((write || !accepted) && limit != null && !limit.admit(ctx.ip())) {
            ctx.header("Retry-After", "1");
            refuse(ctx, 429, "more than " + guard.requestsPerSecond() + " writes or refused logins per second from " + ctx.ip()
                    + " (" + HttpSecurity.RATE_LIMIT + "); retry in a second");
            return;
        }
        if (write && !guard.hasCredentials()) {
            refuse(ctx, 403, "this server is read-only: " + ctx.method() + " needs credentials, and none are configured ("
                    + HttpSecurity.AUTH_TOKEN + ", or " + HttpSecurity.AUTH_BASIC_USER + " and " + HttpSecurity.AUTH_BASIC_PASSWORD + ")");
            return;
        }
        if (!accepted) {
            if (guard.basicUser().isPresent()) {
                ctx.header("WWW-Authenticate", "Basic realm=\"chokepoint\", charset=\"UTF-8\"");
            } else {
                ctx.header("WWW-Authenticate", "Bearer realm=\"chokepoint\"");
            }
            refuse(ctx, 401, ctx.header("Authorization") == null
                    ? "credentials required: send Authorization: " + (guard.bearerToken().isPresent() ? "Bearer <token>" : "Basic <user:password>")
                    : "the credentials sent are not valid");
        }
    }

    private static void refuse(Context ctx, int status, String message) {
        Json.problem(ctx, status, message);
        ctx.skipRemainingHandlers();
    }

    /** The page and the API are never framed, sniffed or leaked through the referrer; scripts and styles come only from this server. */
    private static void securityHeaders(GlobalHeadersConfig headers) {
        headers.xContentTypeOptionsNoSniff();
        headers.xFrameOptions(GlobalHeadersConfig.XFrameOptions.DENY);
        headers.referrerPolicy(GlobalHeadersConfig.ReferrerPolicy.NO_REFERRER);
        headers.contentSecurityPolicy("default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private PrometheusMeterRegistry metrics;
        private BooleanSupplier ready = () -> true;
        private HttpSecurity security = HttpSecurity.defaults();
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

        /** Who may call and how much ({@link HttpSecurity#defaults()} unless set). */
        public Builder security(HttpSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
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
            HttpSecurity guard = security;
            RequestRateLimit limit = guard.requestsPerSecond() == 0 ? null
                    : new RequestRateLimit(guard.requestsPerSecond(), System::currentTimeMillis);
            Javalin app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.http.maxRequestSize = guard.maxRequestBytes();
                cfg.bundledPlugins.enableGlobalHeaders(HttpServer::securityHeaders);
                if (!guard.corsOrigins().isEmpty()) {
                    cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                        if (guard.corsOrigins().contains("*")) {
                            rule.anyHost();
                        } else {
                            guard.corsOrigins().forEach(origin -> rule.allowHost(origin));
                        }
                    }));
                }
                RoutesConfig routes = cfg.routes;
                routes.before(ctx -> admit(ctx, guard, limit));
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
