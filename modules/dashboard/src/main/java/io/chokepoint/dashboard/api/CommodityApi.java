package io.chokepoint.dashboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chokepoint.dashboard.view.AlertBoard;
import io.chokepoint.dashboard.view.PolicyTimeline;
import io.chokepoint.dashboard.view.Views;
import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import io.chokepoint.streams.query.StatsQueries;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The query API over the streams instance's state. A commodity's stats live on the instance that
 * owns its partition: requests for one commodity are forwarded there
 * ({@link StatsQueries#ownerOf}); the list gathers every instance's live views. While the
 * instance is not RUNNING (a rebalance moves partitions) it answers 503 with Retry-After rather
 * than partial or stale data.
 */
public final class CommodityApi {

    /** Retry-After, seconds: a rebalance of a few instances settles in about that. */
    public static final String RETRY_AFTER_SECONDS = "2";

    private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T23:59:59Z");
    private static final int POLICY_LIMIT = 1_000;

    private final StatsQueries queries;
    private final KafkaStreams streams;
    private final HostInfo self;
    private final AlertBoard alerts;
    private final PolicyTimeline policy;
    private final CommodityCatalogue catalogue;
    private final Forwarder forwarder;

    public CommodityApi(StatsQueries queries, KafkaStreams streams, HostInfo self, AlertBoard alerts, PolicyTimeline policy,
                        CommodityCatalogue catalogue, Forwarder forwarder) {
        this.queries = queries;
        this.streams = streams;
        this.self = self;
        this.alerts = alerts;
        this.policy = policy;
        this.catalogue = catalogue;
        this.forwarder = forwarder;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/commodities", this::list);
        routes.get("/api/commodities/{hs}", this::one);
        routes.get("/api/commodities/{hs}/windows", this::windows);
        routes.get("/api/alerts", this::alerts);
        routes.get("/api/policy-events", this::policyEvents);
        routes.exception(Unavailable.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            Json.problem(ctx, 503, e.getMessage());
        });
        routes.exception(InvalidStateStoreException.class, (e, ctx) -> {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            Json.problem(ctx, 503, "state is moving between instances (" + e.getMessage() + "); retry shortly");
        });
        routes.exception(BadRequest.class, (e, ctx) -> Json.problem(ctx, 400, e.getMessage()));
    }

    /** {@code GET /api/commodities?sort=alerts|p95|overdue&group=G}: every commodity, ranked by disruption. */
    private void list(Context ctx) {
        Sort sort = Sort.parse(ctx.queryParam("sort"));
        String group = ctx.queryParam("group");
        if (group != null && !groups().contains(group)) {
            throw new BadRequest("group: unknown group '" + group + "'; one of " + String.join(", ", groups()));
        }
        requireRunning();
        Map<String, JsonNode> live = new TreeMap<>();
        queries.latestPerCommodity().forEach((hs, s) -> live.put(hs, Views.stats(s)));
        if ("local".equals(ctx.queryParam("scope"))) {
            ArrayNode local = Json.array();
            live.values().forEach(local::add);
            Json.send(ctx, 200, Json.object().set("live", local));
            return;
        }
        for (HostInfo other : otherInstances()) {
            HttpResponse<byte[]> answer = forwarder.get(other, "/api/commodities?scope=local");
            if (answer.statusCode() != 200) {
                throw new Unavailable("instance " + other.host() + ":" + other.port() + " answered " + answer.statusCode()
                        + " for its share of the commodities; retry shortly");
            }
            read(answer.body()).path("live").forEach(n -> live.put(n.path("hsCode").asText(), n));
        }
        requireRunning(); // a rebalance that began while gathering makes the gathered set suspect
        Set<String> codes = new TreeSet<>(live.keySet());
        catalogue.all().forEach(c -> codes.add(c.hsCode()));
        Map<String, List<DisruptionAlert>> firing = alerts.firingByCommodity();
        codes.addAll(firing.keySet());
        List<ObjectNode> rows = new ArrayList<>();
        for (String hs : codes) {
            if (group == null || group.equals(catalogue.groupOf(hs))) {
                rows.add(Views.commodity(hs, catalogue, (ObjectNode) live.get(hs), firing.getOrDefault(hs, List.of())));
            }
        }
        rows.sort(sort.order);
        ArrayNode out = Json.array();
        rows.forEach(out::add);
        ObjectNode body = Json.object();
        body.put("sort", sort.name().toLowerCase(java.util.Locale.ROOT));
        body.put("count", rows.size());
        body.set("commodities", out);
        Json.send(ctx, 200, body);
    }

    /** {@code GET /api/commodities/{hs}}: one commodity's row, answered by its owner. */
    private void one(Context ctx) {
        String hs = hsCode(ctx);
        if (forwardedToOwner(ctx, hs)) {
            return;
        }
        ObjectNode live = queries.latest(hs).map(Views::stats).orElse(null);
        ObjectNode row = Views.commodity(hs, catalogue, live, alerts.firingByCommodity().getOrDefault(hs, List.of()));
        requireRunning();
        Json.send(ctx, 200, row);
    }

    /** {@code GET /api/commodities/{hs}/windows?from=&to=}: the commodity's stats windows by start time, oldest first. */
    private void windows(Context ctx) {
        String hs = hsCode(ctx);
        Instant from = instant(ctx, "from", Instant.EPOCH);
        Instant to = instant(ctx, "to", FAR_FUTURE);
        if (to.isBefore(from)) {
            throw new BadRequest("to: must not be before from (" + from + ")");
        }
        if (forwardedToOwner(ctx, hs)) {
            return;
        }
        List<CommodityDelayStats> windows = queries.windows(hs, from, to);
        requireRunning();
        ObjectNode body = Json.object();
        body.put("hsCode", hs);
        body.put("name", catalogue.nameOf(hs));
        ArrayNode list = body.putArray("windows");
        windows.forEach(w -> list.add(Views.stats(w)));
        Json.send(ctx, 200, body);
    }

    /** {@code GET /api/alerts?state=firing|resolved&since=}: from the alerts topic, which every instance reads whole. */
    private void alerts(Context ctx) {
        String state = ctx.queryParam("state") == null ? "firing" : ctx.queryParam("state");
        Instant since = instant(ctx, "since", Instant.EPOCH);
        List<DisruptionAlert> list = switch (state) {
            case "firing" -> alerts.firing(since);
            case "resolved" -> alerts.resolved(since);
            default -> throw new BadRequest("state: must be firing or resolved, got '" + state + "'");
        };
        ArrayNode out = Json.array();
        list.forEach(a -> out.add(Views.alert(a)));
        ObjectNode body = Json.object();
        body.put("state", state);
        body.put("count", list.size());
        body.set("alerts", out);
        Json.send(ctx, 200, body);
    }

    /** {@code GET /api/policy-events?hs=&since=}: tariff changes and licence decisions, newest first. */
    private void policyEvents(Context ctx) {
        String hs = ctx.queryParam("hs") == null ? null : normalise(ctx.queryParam("hs"), "hs");
        Instant since = instant(ctx, "since", Instant.EPOCH);
        ArrayNode out = Json.array();
        policy.since(hs, since, POLICY_LIMIT).forEach(e -> out.add(e.json()));
        ObjectNode body = Json.object();
        body.put("count", out.size());
        body.set("events", out);
        Json.send(ctx, 200, body);
    }

    /** Forwards to the owner when another instance owns {@code hs}; true when the response was sent. */
    private boolean forwardedToOwner(Context ctx, String hs) {
        requireRunning();
        StatsQueries.Owner owner = queries.ownerOf(hs);
        if (owner.local()) {
            return false;
        }
        if (ctx.header(Forwarder.FORWARDED) != null) {
            throw new Unavailable("commodity " + hs + " moved to " + owner.active().host() + ":" + owner.active().port()
                    + " while the request was forwarded; retry shortly");
        }
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpResponse<byte[]> answer = forwarder.get(owner.active(), ctx.path() + query);
        answer.headers().firstValue("Retry-After").ifPresent(v -> ctx.header("Retry-After", v));
        ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
        return true;
    }

    private void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new Unavailable("this instance is " + state + " (partitions are moving between instances); retry shortly");
        }
    }

    private List<HostInfo> otherInstances() {
        if (self == null) {
            return List.of();
        }
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(self) && !m.topicPartitions().isEmpty()) {
                others.add(m.hostInfo());
            }
        }
        return others;
    }

    private Set<String> groups() {
        Set<String> groups = new TreeSet<>();
        catalogue.all().stream().map(Commodity::group).forEach(groups::add);
        groups.add(catalogue.groupOf("000000"));
        return groups;
    }

    private static String hsCode(Context ctx) {
        return normalise(ctx.pathParam("hs"), "hs");
    }

    private static String normalise(String text, String what) {
        return HsCode.normalise(text).orElseThrow(() ->
                new BadRequest(what + ": '" + text + "' is not an HS code (6 digits, e.g. 850511 or 8505.11)"));
    }

    private static Instant instant(Context ctx, String param, Instant fallback) {
        String text = ctx.queryParam(param);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequest(param + ": must be an ISO-8601 instant such as 2025-04-01T00:00:00Z, got '" + text + "'");
        }
    }

    private static JsonNode read(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new Unavailable("another instance sent an unreadable answer: " + e.getMessage());
        }
    }

    /** Ranking of the commodity list; commodities without live stats last, then by HS code. */
    enum Sort {
        ALERTS(Comparator.<ObjectNode>comparingInt(Sort::alertWeight).reversed().thenComparing(Sort.by("p95DelayHours"))),
        P95(Sort.by("p95DelayHours")),
        OVERDUE(Sort.by("overdueShipments").thenComparing(Sort.by("p95DelayHours")));

        final Comparator<ObjectNode> order;

        Sort(Comparator<ObjectNode> order) {
            this.order = order.thenComparing(n -> n.path("hsCode").asText());
        }

        static Sort parse(String text) {
            if (text == null || text.isBlank()) {
                return ALERTS;
            }
            for (Sort s : values()) {
                if (s.name().equalsIgnoreCase(text)) {
                    return s;
                }
            }
            throw new BadRequest("sort: must be alerts, p95 or overdue, got '" + text + "'");
        }

        /** Largest first; a row without live stats sorts after every row with them. */
        private static Comparator<ObjectNode> by(String field) {
            return Comparator.comparingDouble((ObjectNode n) -> {
                JsonNode live = n.get("live");
                return live == null || live.isNull() ? Double.NEGATIVE_INFINITY : live.path(field).asDouble();
            }).reversed();
        }

        /** Critical outweighs any number of warnings; count breaks ties. */
        private static int alertWeight(ObjectNode n) {
            int weight = 0;
            for (JsonNode a : n.path("firingAlerts")) {
                weight += switch (a.path("severity").asText()) {
                    case "CRITICAL" -> 10_000;
                    case "WARNING" -> 100;
                    default -> 1;
                };
            }
            return weight;
        }
    }
}
