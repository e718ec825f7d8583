package io.chokepoint.alerts.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chokepoint.alerts.silence.MatcherLint;
import io.chokepoint.alerts.silence.Silence;
import io.chokepoint.alerts.silence.SilenceStore;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.http.HttpSecurity;
import io.chokepoint.http.HttpServer;
import io.chokepoint.http.Json;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The dispatcher's HTTP side: {@code /metrics} (Prometheus), {@code /health/live},
 * {@code /health/ready} (503 until the consumer has its partitions and the silences and delivery
 * progress are read), and the silences API:
 * {@code GET /api/silences}, {@code POST /api/silences}, {@code DELETE /api/silences/{id}}.
 */
public final class AlertsHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final MatcherLint LINT = new MatcherLint(CommodityCatalogue.defaultCatalogue());

    private final HttpServer server;

    public AlertsHttpServer(String host, int port, HttpSecurity security, PrometheusMeterRegistry registry, SilenceStore silences,
                            BooleanSupplier ready, Clock clock) {
        // creating and expiring silences are writes: they always need the http.auth.* credentials
        this.server = HttpServer.on(host, port).security(security).metrics(registry).readiness(ready).routes(routes -> {
            routes.get("/api/silences", ctx -> {
                ArrayNode list = JSON.createArrayNode();
                Instant now = clock.instant();
                silences.list().forEach(s -> list.add(SilenceStore.toJsonNode(s, now)));
                Json.send(ctx, 200, list);
            });
            routes.post("/api/silences", ctx -> create(ctx, silences, clock));
            routes.delete("/api/silences/{id}", ctx -> {
                Optional<SilenceStore.Expiry> expiry = silences.expire(ctx.pathParam("id"));
                if (expiry.isEmpty()) {
                    problem(ctx, 404, "no silence with id '" + ctx.pathParam("id") + "'");
                } else if (expiry.get().alreadyExpired()) {
                    problem(ctx, 409, expiry.get().alreadyExpiredMessage());
                } else {
                    Json.send(ctx, 200, SilenceStore.toJsonNode(expiry.get().silence(), clock.instant()));
                }
            });
        }).start();
    }

    /** Body: {@code {"matchers":["severity=WARNING"],"duration":"2h"|"endsAt":"…","createdBy":"…","comment":"…"}}. */
    private static void create(Context ctx, SilenceStore silences, Clock clock) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            problem(ctx, 400, "body is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return;
        }
        if (body == null || !body.isObject()) {
            problem(ctx, 400, "body must be a JSON object with matchers and duration or endsAt");
            return;
        }
        List<String> matchers = new ArrayList<>();
        if (!body.path("matchers").isArray()) {
            problem(ctx, 400, "matchers: must be a list such as [\"severity=WARNING\"]");
            return;
        }
        body.get("matchers").forEach(m -> matchers.add(m.asText()));
        Duration duration;
        try {
            if (body.hasNonNull("endsAt")) {
                duration = Duration.between(clock.instant(), Instant.parse(body.get("endsAt").asText()));
            } else if (body.hasNonNull("duration")) {
                duration = ChokepointConfig.parseDuration("duration", body.get("duration").asText());
            } else {
                problem(ctx, 400, "duration or endsAt: one is required, e.g. \"duration\":\"2h\"");
                return;
            }
        } catch (DateTimeParseException e) {
            problem(ctx, 400, "endsAt: must be an ISO-8601 instant such as 2026-11-28T18:00:00Z");
            return;
        } catch (ChokepointConfig.ConfigProblem e) {
            problem(ctx, 400, "duration: must be a duration such as 30m or 2h, got '" + body.get("duration").asText() + "'");
            return;
        }
        try {
            Silence s = silences.add(matchers, duration, body.path("createdBy").asText(""), body.path("comment").asText(""));
            ObjectNode created = SilenceStore.toJsonNode(s, clock.instant());
            List<String> warnings = LINT.warnings(s.matchers());
            if (!warnings.isEmpty()) {
                created.putArray("warnings").addAll(warnings.stream().map(w -> (JsonNode) JSON.getNodeFactory().textNode(w)).toList());
            }
            Json.send(ctx, 201, created);
        } catch (IllegalArgumentException e) {
            problem(ctx, 400, e.getMessage());
        }
    }

    private static void problem(Context ctx, int status, String message) {
        Json.problem(ctx, status, message);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
