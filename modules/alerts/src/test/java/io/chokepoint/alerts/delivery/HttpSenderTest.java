package io.chokepoint.alerts.delivery;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * What one POST sends and how its outcome is classified for the retry policy, against real
 * sockets: headers and signature, 2xx, 429/503 with Retry-After, other 5xx, a client error, a
 * refused connection and a server that never answers. Messages name scheme, host and port only.
 */
class HttpSenderTest {

    private final Map<String, String> received = new ConcurrentHashMap<>();
    private HttpServer server;
    private HttpSender sender;

    private URI serve(int status, Map<String, String> headers) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook/secret-path", ex -> {
            received.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.getRequestHeaders().forEach((k, v) -> received.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/secret-path");
    }

    private HttpSender sender(URI url, Duration readTimeout) {
        sender = new HttpSender("ops", url, Optional.of("s3cret-signing-key"), Duration.ofSeconds(2), readTimeout, Map.of("X-Team", "ops"),
                Clock.systemUTC());
        return sender;
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void a_2xx_delivers_the_body_with_the_idempotency_key_the_signature_and_the_receivers_headers() throws Exception {
        HttpSender s = sender(serve(204, Map.of()), Duration.ofSeconds(5));

        s.post("{\"status\":\"firing\"}".getBytes(StandardCharsets.UTF_8), "group-1:42");

        assertThat(received).containsEntry("body", "{\"status\":\"firing\"}").containsEntry("idempotency-key", "group-1:42")
                .containsEntry("x-team", "ops").containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "chokepoint-alerts");
        assertThat(received.get(WebhookSignature.HEADER.toLowerCase(java.util.Locale.ROOT))).startsWith("t=").contains(",v1=");
    }

    @Test
    void a_503_with_retry_after_is_retried_after_the_servers_delay() throws Exception {
        HttpSender s = sender(serve(503, Map.of("Retry-After", "7")), Duration.ofSeconds(5));

        assertThatThrownBy(() -> s.post(new byte[]{'{', '}'}, "k")).asInstanceOf(type(DeliveryFailure.class)).satisfies(f -> {
            assertThat(f.isRetryable()).isTrue();
            assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(f.getMessage()).matches("HTTP 503 from http://127\\.0\\.0\\.1:\\d+ \\(Retry-After 7000 ms\\)");
        });
    }

    @Test
    void a_500_is_retried_and_a_404_is_not() throws Exception {
        URI url = serve(500, Map.of());
        assertThatThrownBy(() -> sender(url, Duration.ofSeconds(5)).post(new byte[]{'{', '}'}, "k"))
                .asInstanceOf(type(DeliveryFailure.class)).satisfies(f -> assertThat(f.isRetryable()).isTrue());
        stop();
        sender = null;

        URI missing = serve(404, Map.of());
        assertThatThrownBy(() -> sender(missing, Duration.ofSeconds(5)).post(new byte[]{'{', '}'}, "k"))
                .asInstanceOf(type(DeliveryFailure.class)).satisfies(f -> {
                    assertThat(f.isRetryable()).isFalse();
                    assertThat(f.getMessage()).endsWith("; not retried (a client error repeats on every attempt)").doesNotContain("secret-path");
                });
    }

    @Test
    void a_refused_connection_and_a_silent_server_are_retried_with_a_message_that_says_which() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> sender(URI.create("http://127.0.0.1:" + closed + "/hook/secret-path"), Duration.ofSeconds(5))
                .post(new byte[]{'{', '}'}, "k"))
                .asInstanceOf(type(DeliveryFailure.class)).satisfies(f -> {
                    assertThat(f.isRetryable()).isTrue();
                    assertThat(f.getMessage()).isEqualTo("connection refused by http://127.0.0.1:" + closed);
                });
        sender.close();

        try (ServerSocket silent = new ServerSocket(0)) {
            Thread accepter = new Thread(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.setSoTimeout(5_000);
                    accepted.getInputStream().readAllBytes(); // reads the request and never answers
                } catch (Exception e) {
                    // the test is over
                }
            });
            accepter.setDaemon(true);
            accepter.start();
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/hook/secret-path");
            assertThatThrownBy(() -> sender(url, Duration.ofMillis(300)).post(new byte[]{'{', '}'}, "k"))
                    .asInstanceOf(type(DeliveryFailure.class)).satisfies(f -> {
                        assertThat(f.isRetryable()).isTrue();
                        assertThat(f.getMessage()).isEqualTo("no response from http://127.0.0.1:" + silent.getLocalPort() + " within 300 ms");
                    });
        }
    }
}
