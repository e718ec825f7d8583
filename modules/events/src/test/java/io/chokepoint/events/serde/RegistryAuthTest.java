package io.chokepoint.events.serde;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry client sends the configured credentials: a bearer token or basic auth, Confluent's keys. */
class RegistryAuthTest {

    private HttpServer registry;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/config", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"compatibilityLevel\":\"BACKWARD\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    @Test
    void a_static_bearer_token_is_sent_and_never_printed() {
        RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url", url(),
                "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok-123"));
        assertThat(new SchemaRegistryClient(settings).globalCompatibilityLevel()).isEqualTo("BACKWARD");
        assertThat(authorizations).containsExactly("Bearer tok-123");
        assertThat(settings.toString()).contains("bearer").doesNotContain("tok-123");
    }

    @Test
    void basic_auth_user_info_is_sent_as_basic() {
        new SchemaRegistryClient(RegistrySettings.from(Map.of("schema.registry.url", url(),
                "basic.auth.user.info", "svc:pw"))).globalCompatibilityLevel();
        assertThat(authorizations).containsExactly("Basic c3ZjOnB3");
    }

    @Test
    void both_kinds_of_credentials_or_an_unknown_token_source_are_refused_without_the_secret() {
        assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", url(),
                "basic.auth.user.info", "svc:pw", "bearer.auth.token", "tok-123")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both").hasMessageNotContaining("tok-123");
        assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", url(),
                "bearer.auth.credentials.source", "OAUTHBEARER")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("STATIC_TOKEN");
    }
}
