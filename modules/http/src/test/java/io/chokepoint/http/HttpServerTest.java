package io.chokepoint.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesProbesMetricsAndTheComponentsRoutesWithJsonErrors() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("chokepoint_things_total").increment();
        AtomicBoolean ready = new AtomicBoolean(false);
        try (HttpServer server = HttpServer.on("127.0.0.1", 0).metrics(registry).readiness(ready::get)
                .routes(r -> {
                    r.get("/api/hello", ctx -> Json.send(ctx, 200, Json.object().put("hello", "world")));
                    r.get("/api/teapot", ctx -> Json.problem(ctx, 404, "no teapot here"));
                    r.get("/api/boom", ctx -> {
                        throw new IllegalStateException("the kettle broke");
                    });
                })
                .start()) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
            HttpResponse<String> notReady = get(base + "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("{\"status\":\"DOWN\"}");
            ready.set(true);
            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(base + "/metrics").body()).contains("chokepoint_things_total 1.0");
            assertThat(get(base + "/api/hello").body()).isEqualTo("{\"hello\":\"world\"}");

            HttpResponse<String> own404 = get(base + "/api/teapot");
            assertThat(own404.statusCode()).isEqualTo(404);
            assertThat(own404.body()).isEqualTo("{\"error\":\"no teapot here\"}");
            HttpResponse<String> missing = get(base + "/api/nothing");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"error\":\"no such endpoint: GET /api/nothing\"}");
            HttpResponse<String> boom = get(base + "/api/boom");
            assertThat(boom.statusCode()).isEqualTo(500);
            assertThat(boom.body()).contains("the kettle broke");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
