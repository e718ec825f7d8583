package io.chokepoint.http;

import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSecurityTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpServer serve(Map<String, String> settings) {
        return HttpServer.on("127.0.0.1", 0).security(HttpSecurity.from(ChokepointConfig.of(settings))).routes(r -> {
            r.get("/api/things", ctx -> Json.send(ctx, 200, Json.array()));
            r.post("/api/things", ctx -> Json.send(ctx, 201, Json.object().put("size", ctx.body().length())));
            r.delete("/api/things/{id}", ctx -> Json.send(ctx, 200, Json.object()));
        }).start();
    }

    @Test
    void without_credentials_configured_the_server_is_read_only() throws Exception {
        try (HttpServer server = serve(Map.of())) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(send("GET", base + "/api/things", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> post = send("POST", base + "/api/things", "{}", null);
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(post.body()).contains("read-only").contains("http.auth.token");
            // a guessed header changes nothing when no credentials exist to match it
            assertThat(send("DELETE", base + "/api/things/1", null, "Bearer ").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void writes_need_the_bearer_token_reads_stay_open() throws Exception {
        try (HttpServer server = serve(Map.of(HttpSecurity.AUTH_TOKEN, "s3cret-token"))) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(send("GET", base + "/api/things", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> anonymous = send("POST", base + "/api/things", "{}", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            HttpResponse<String> wrong = send("POST", base + "/api/things", "{}", "Bearer s3cret-tokex");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("s3cret");
            HttpResponse<String> right = send("POST", base + "/api/things", "{}", "Bearer s3cret-token");
            assertThat(right.statusCode()).as(right.body()).isEqualTo(201);
            assertThat(send("DELETE", base + "/api/things/1", null, "bearer s3cret-token").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void basic_auth_for_reads_too_leaves_the_probes_open() throws Exception {
        try (HttpServer server = serve(Map.of(HttpSecurity.AUTH_BASIC_USER, "ops", HttpSecurity.AUTH_BASIC_PASSWORD, "pa:ss",
                HttpSecurity.AUTH_READS, "true"))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> anonymous = send("GET", base + "/api/things", null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(send("GET", base + "/api/things", null, basic("ops", "wrong")).statusCode()).isEqualTo(401);
            assertThat(send("GET", base + "/api/things", null, "Basic %%%not-base64").statusCode()).isEqualTo(401);
            assertThat(send("GET", base + "/api/things", null, basic("ops", "pa:ss")).statusCode()).isEqualTo(200);
            assertThat(send("POST", base + "/api/things", "{}", basic("ops", "pa:ss")).statusCode()).isEqualTo(201);
            assertThat(send("GET", base + "/health/live", null, null).statusCode()).isEqualTo(200);
            assertThat(send("GET", base + "/health/ready", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_body_over_the_size_limit_is_refused_before_the_handler() throws Exception {
        try (HttpServer server = serve(Map.of(HttpSecurity.AUTH_TOKEN, "t", HttpSecurity.MAX_REQUEST_BYTES, "100"))) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(send("POST", base + "/api/things", "x".repeat(100), "Bearer t").statusCode()).isEqualTo(201);
            HttpResponse<String> big = send("POST", base + "/api/things", "x".repeat(101), "Bearer t");
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("http.max.request.bytes");
        }
    }

    @Test
    void requests_over_the_rate_limit_get_429_until_the_second_turns() {
        AtomicLong now = new AtomicLong(5_000);
        RequestRateLimit limit = new RequestRateLimit(3, now::get);
        assertThat(limit.admit("a")).isTrue();
        assertThat(limit.admit("a")).isTrue();
        assertThat(limit.admit("a")).isTrue();
        assertThat(limit.admit("a")).isFalse();
        assertThat(limit.admit("b")).isTrue();
        now.set(5_999);
        assertThat(limit.admit("a")).isFalse();
        now.set(6_000);
        assertThat(limit.admit("a")).isTrue();
    }

    @Test
    void writes_over_the_rate_limit_get_429() throws Exception {
        try (HttpServer server = serve(Map.of(HttpSecurity.AUTH_TOKEN, "t", HttpSecurity.RATE_LIMIT, "2"))) {
            String base = "http://127.0.0.1:" + server.port();
            int refused = 0;
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> answer = send("POST", base + "/api/things", "{}", "Bearer t");
                if (answer.statusCode() == 429) {
                    refused++;
                    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(answer.body()).contains("http.rate.limit");
                } else {
                    assertThat(answer.statusCode()).isEqualTo(201);
                }
            }
            // six requests span at most two seconds: at most four are admitted
            assertThat(refused).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void guessing_credentials_is_rate_limited_the_right_ones_are_not() throws Exception {
        try (HttpServer server = serve(Map.of(HttpSecurity.AUTH_TOKEN, "t", HttpSecurity.AUTH_READS, "true", HttpSecurity.RATE_LIMIT, "2"))) {
            String base = "http://127.0.0.1:" + server.port();
            int refused = 0;
            for (int i = 0; i < 6; i++) {
                int status = send("GET", base + "/api/things", null, "Bearer guess-" + i).statusCode();
                assertThat(status).isIn(401, 429);
                refused += status == 429 ? 1 : 0;
            }
            assertThat(refused).isGreaterThanOrEqualTo(2);
            for (int i = 0; i < 50; i++) {
                assertThat(send("GET", base + "/api/things", null, "Bearer t").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void reads_are_never_rate_limited_so_pages_behind_one_address_and_forwarding_peers_are_served() throws Exception {
        // a tight polling loop from one address, as many tabs behind one NAT or a peer forwarding its users' queries
        try (HttpServer server = serve(Map.of())) {
            String base = "http://127.0.0.1:" + server.port();
            for (int i = 0; i < 3 * HttpSecurity.DEFAULT_REQUESTS_PER_SECOND * 10; i++) {
                assertThat(send("GET", base + "/api/things", null, null).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void every_response_carries_security_headers_and_cors_only_for_configured_origins() throws Exception {
        try (HttpServer server = serve(Map.of(HttpSecurity.CORS_ORIGINS, "https://ops.example.com"))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(URI.create(base + "/api/things"))
                    .header("Origin", "https://ops.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(allowed.headers().firstValue("X-Frame-Options")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("deny"));
            assertThat(allowed.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ops.example.com");
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(base + "/api/things"))
                    .header("Origin", "https://evil.example.net").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        try (HttpServer server = serve(Map.of())) {
            HttpResponse<String> noCors = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/things"))
                    .header("Origin", "https://ops.example.com").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noCors.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void half_configured_credentials_are_a_configuration_problem_and_never_printed() {
        assertThatThrownBy(() -> HttpSecurity.from(ChokepointConfig.of(Map.of(HttpSecurity.AUTH_BASIC_USER, "ops"))))
                .hasMessageContaining("http.auth.basic.password");
        assertThatThrownBy(() -> HttpSecurity.from(ChokepointConfig.of(Map.of(HttpSecurity.AUTH_READS, "true"))))
                .hasMessageContaining("no credentials");
        assertThat(HttpSecurity.from(ChokepointConfig.of(Map.of(HttpSecurity.AUTH_TOKEN, "s3cret"))).toString()).doesNotContain("s3cret");
        assertThat(ChokepointConfig.of(Map.of(HttpSecurity.AUTH_TOKEN, "s3cret", HttpSecurity.AUTH_BASIC_PASSWORD, "pw")).redacted())
                .containsEntry(HttpSecurity.AUTH_TOKEN, "[redacted]").containsEntry(HttpSecurity.AUTH_BASIC_PASSWORD, "[redacted]");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String url, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
