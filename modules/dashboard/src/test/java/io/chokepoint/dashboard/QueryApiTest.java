package io.chokepoint.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.dashboard.support.DashboardInstances;
import io.chokepoint.dashboard.support.DashboardInstances.Instance;
import io.chokepoint.dashboard.support.SseClient;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.Severity;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query API on two streams instances of one application: any instance answers for any
 * commodity exactly as its owner does; the list gathers both instances' commodities; while a
 * third instance joins, answers are 503 with Retry-After, never partial.
 */
@ExtendWith(DevClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CODES = List.of("850511", "280530", "854231", "841112", "284610", "811292", "850760", "854110");

    private DashboardInstances instances;
    private Instance a;
    private Instance b;

    @BeforeAll
    void twoInstancesWithStatsForEveryCommodity(DevCluster cluster) throws Exception {
        instances = new DashboardInstances(cluster, Map.of(DashboardSettings.HEARTBEAT, "300ms"));
        a = instances.start();
        b = instances.start();
        instances.awaitRunning();
        instances.tariff("850511", 25, 110, DashboardInstances.T0.plus(Duration.ofMinutes(1)));
        instances.flush();
        for (int i = 0; i < CODES.size(); i++) {
            instances.milestone(CODES.get(i), 10 + i, 5);
            instances.milestone(CODES.get(i), 20 + i, 15);
        }
        instances.alert("850511", AlertState.FIRING, Severity.CRITICAL, 64, "p95 delay 64 h > 48 h after the tariff rose to 110 %");
        instances.flush();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                withLive(instances.get(a, "/api/commodities")) == CODES.size()
                        && json(instances.get(a, "/api/alerts")).path("count").asInt() == 1);
    }

    @AfterAll
    void close() {
        instances.close();
    }

    @Test
    @Order(1)
    void anInstanceAnswersForACommodityTheOtherOwnsExactlyAsTheOwner() {
        List<String> ownedByB = new ArrayList<>();
        for (String hs : CODES) {
            if (b.runtime().queries().ownerOf(hs).local()) {
                ownedByB.add(hs);
            }
        }
        assertThat(ownedByB).as("4 partitions over 2 instances: b owns some of the 8 commodities").isNotEmpty();
        for (String hs : ownedByB) {
            HttpResponse<String> fromOwner = instances.get(b, "/api/commodities/" + hs);
            HttpResponse<String> viaOther = instances.get(a, "/api/commodities/" + hs);
            assertThat(fromOwner.statusCode()).isEqualTo(200);
            assertThat(viaOther.statusCode()).isEqualTo(200);
            assertThat(viaOther.body()).isEqualTo(fromOwner.body());
            assertThat(json(viaOther).path("live").path("count").asLong()).isEqualTo(2);
            assertThat(instances.get(a, "/api/commodities/" + hs + "/windows?from=2025-04-01T00:00:00Z").body())
                    .isEqualTo(instances.get(b, "/api/commodities/" + hs + "/windows?from=2025-04-01T00:00:00Z").body());
        }
        assertThat(instances.get(a, "/api/commodities").body()).isEqualTo(instances.get(b, "/api/commodities").body());
    }

    @Test
    @Order(2)
    void theListRanksByDisruptionAndCarriesPolicyContextAndAlerts() {
        JsonNode byAlerts = json(instances.get(b, "/api/commodities"));
        JsonNode top = byAlerts.path("commodities").get(0);
        assertThat(top.path("hsCode").asText()).isEqualTo("850511");
        assertThat(top.path("name").asText()).startsWith("Permanent magnets");
        assertThat(top.path("group").asText()).isEqualTo("permanent-magnets");
        assertThat(top.path("firingAlerts").get(0).path("explanation").asText()).contains("110 %");
        assertThat(top.path("live").path("policy").path("tariffPct").asDouble()).isEqualTo(110.0);

        JsonNode byP95 = json(instances.get(a, "/api/commodities?sort=p95"));
        assertThat(byP95.path("commodities").get(0).path("hsCode").asText()).isEqualTo("854110"); // 20 + 7 h late
        JsonNode magnets = json(instances.get(a, "/api/commodities?group=permanent-magnets"));
        assertThat(magnets.path("commodities")).allSatisfy(c -> assertThat(c.path("group").asText()).isEqualTo("permanent-magnets"));

        JsonNode events = json(instances.get(a, "/api/policy-events?hs=8505.11"));
        assertThat(events.path("events").get(0).path("newRatePct").asDouble()).isEqualTo(110.0);
    }

    @Test
    @Order(3)
    void mistakesAnswerJsonErrorsNamingTheParameter() {
        HttpResponse<String> badSort = instances.get(a, "/api/commodities?sort=fun");
        assertThat(badSort.statusCode()).isEqualTo(400);
        assertThat(json(badSort).path("error").asText()).isEqualTo("sort: must be alerts, p95 or overdue, got 'fun'");
        HttpResponse<String> badHs = instances.get(a, "/api/commodities/85x/windows");
        assertThat(badHs.statusCode()).isEqualTo(400);
        assertThat(json(badHs).path("error").asText()).startsWith("hs: '85x' is not an HS code");
        HttpResponse<String> badTime = instances.get(b, "/api/commodities/850511/windows?from=yesterday");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(json(badTime).path("error").asText()).startsWith("from: must be an ISO-8601 instant");
        assertThat(instances.get(a, "/api/alerts?state=maybe").statusCode()).isEqualTo(400);
        assertThat(json(instances.get(a, "/api/openapi.json")).path("paths").has("/api/commodities/{hs}/windows")).isTrue();
        assertThat(instances.get(a, "/health/ready").statusCode()).isEqualTo(200);
        assertThat(instances.get(a, "/metrics").body()).contains("chokepoint_events_in_total", "chokepoint_sse_clients",
                "chokepoint_dead_letters_total{stage=\"DESERIALIZATION\"}", "kafka_stream_");
    }

    @Test
    @Order(4)
    void aClientReconnectingWithLastEventIdGetsEveryEventItMissedAndHeartbeatsWhileIdle() throws Exception {
        List<SseClient.Event> seen = new ArrayList<>();
        String lastId;
        try (SseClient observer = new SseClient(a.url("/api/stream"), null)) {
            try (SseClient first = new SseClient(a.url("/api/stream"), null)) {
                assertThat(first.next("heartbeat", Duration.ofSeconds(5))).as("heartbeat while idle").isNotNull();
                instances.milestone("850511", 30, 25);
                instances.flush();
                SseClient.Event update = first.next("stats", Duration.ofSeconds(30));
                assertThat(update).isNotNull();
                assertThat(json(update.data()).path("hsCode").asText()).isEqualTo("850511");
                lastId = update.id();
            }
            // while disconnected: more updates, which the observer sees published
            instances.milestone("280530", 40, 26);
            instances.flush();
            SseClient.Event e;
            boolean past = false;
            while ((e = observer.next(Duration.ofSeconds(30))) != null) {
                if (e.id() == null) {
                    continue;
                }
                if (past) {
                    seen.add(e);
                    if (e.type().equals("stats") && json(e.data()).path("hsCode").asText().equals("280530")) {
                        break;
                    }
                }
                past = past || e.id().equals(lastId);
            }
            assertThat(seen).as("events published after " + lastId).isNotEmpty();
        }
        try (SseClient resumed = new SseClient(a.url("/api/stream"), lastId)) {
            List<SseClient.Event> replayed = new ArrayList<>();
            while (replayed.size() < seen.size()) {
                SseClient.Event e = resumed.next(Duration.ofSeconds(10));
                assertThat(e).as("replayed event").isNotNull();
                if (e.id() != null) {
                    replayed.add(e);
                }
            }
            assertThat(replayed).isEqualTo(seen);
        }
        try (SseClient foreign = new SseClient(a.url("/api/stream"), "someone-else-7")) {
            assertThat(foreign.next(Duration.ofSeconds(5)).type()).isEqualTo("reset");
        }
    }

    @Test
    @Order(5)
    void whileAnInstanceJoinsTheApiAnswers503WithRetryAfterNeverPartialData() throws Exception {
        String expected = instances.get(a, "/api/commodities").body();
        Instance c = instances.start();
        int unavailable = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean settled = false;
        while (System.nanoTime() < deadline && !settled) {
            KafkaStreams.State before = a.runtime().streams().state();
            HttpResponse<String> r = instances.get(a, "/api/commodities");
            KafkaStreams.State after = a.runtime().streams().state();
            if (r.statusCode() == 503) {
                unavailable++;
                assertThat(r.headers().firstValue("Retry-After")).contains("2");
                assertThat(json(r).path("error").asText()).contains("retry");
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).as("a 200 is the whole list, the same as before the rebalance").isEqualTo(expected);
            }
            if (before == KafkaStreams.State.REBALANCING && after == KafkaStreams.State.REBALANCING) {
                assertThat(r.statusCode()).isEqualTo(503);
            }
            settled = unavailable > 0 && allRunning(c) && r.statusCode() == 200;
        }
        assertThat(unavailable).as("requests during the rebalance were refused").isPositive();
        assertThat(instances.get(a, "/health/ready").statusCode()).isEqualTo(200);
        instances.stop(c);
    }

    @Test
    @Order(6)
    void everyInstanceServesACommoditysClosedWindowsAsItsOwnerHasThem() {
        // 01:30 closes every commodity's 00:00 window (end 01:00 + 10 min grace)
        for (String hs : CODES) {
            instances.milestone(hs, 1, 90);
        }
        instances.flush();
        String path = "/windows?from=2025-04-01T00:00:00Z&to=2025-04-01T00:30:00Z";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String hs : CODES) {
                for (Instance i : List.of(a, b)) {
                    HttpResponse<String> r = instances.get(i, "/api/commodities/" + hs + path);
                    assertThat(r.statusCode()).as(hs + " via " + i).isEqualTo(200);
                    assertThat(json(r).path("windows")).as(hs + " via " + i).singleElement().satisfies(w -> {
                        assertThat(w.path("windowStart").asText()).isEqualTo("2025-04-01T00:00:00Z");
                        // two milestones each in the first test, one more for two of them in the live-feed test
                        assertThat(w.path("count").asLong()).isEqualTo(Set.of("850511", "280530").contains(hs) ? 3 : 2);
                    });
                }
            }
        });
        for (String hs : CODES) {
            assertThat(instances.get(a, "/api/commodities/" + hs + path).body()).isEqualTo(instances.get(b, "/api/commodities/" + hs + path).body());
        }
    }

    private boolean allRunning(Instance c) {
        return List.of(a, b, c).stream().allMatch(i -> i.runtime().streams().state() == KafkaStreams.State.RUNNING);
    }

    private static long withLive(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            return -1;
        }
        long n = 0;
        for (JsonNode c : json(r).path("commodities")) {
            if (!c.path("live").isNull() && !c.path("live").isMissingNode()) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode json(HttpResponse<String> r) {
        return json(r.body());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
