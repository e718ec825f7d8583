package io.chokepoint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.routing.ReceiverSpec;
import io.chokepoint.alerts.routing.RoutingConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routing files we ship (demo, compose, Kubernetes) must load with the real loader. */
class ShippedRoutingFilesTest {

    private static final Map<String, String> SETTINGS = Map.of("alerts.secrets.pager", "a-signing-secret-of-32-characters");

    @Test
    void demoRoutingLoadsForEveryCombinationOfItsOptions() {
        RoutingConfig readable = load(new DemoRouting(false, List.of()));
        assertThat(readable.receivers()).containsOnlyKeys("console");
        assertThat(readable.receiver("console").target()).isInstanceOf(ReceiverSpec.Console.class);
        assertThat(readable.inhibitRules()).hasSize(1);

        RoutingConfig json = load(new DemoRouting(true, List.of(URI.create("http://localhost:8080/hook?team=ops&x=1"),
                URI.create("https://hooks.example.com/a:b"))));
        assertThat(json.receivers()).containsOnlyKeys("console", "webhook-1", "webhook-2");
        assertThat(json.receiver("console").target()).isInstanceOf(ReceiverSpec.JsonLines.class);
        assertThat(((ReceiverSpec.Webhook) json.receiver("webhook-1").target()).url()).hasToString("http://localhost:8080/hook?team=ops&x=1");
        assertThat(json.root().match(Map.of("severity", "CRITICAL", "hs_code", "850511")).stream()
                .flatMap(r -> r.receivers().stream()).toList()).containsExactly("console", "webhook-1", "webhook-2");
    }

    @Test
    void aDemoWebhookMustBeAnHttpUrl() {
        for (String bad : List.of("localhost:8080/hook", "ftp://example.com/x", "hook")) {
            assertThatThrownBy(() -> new DemoRouting(false, List.of(URI.create(bad))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--webhook must be an http:// or https:// URL");
        }
    }

    private static RoutingConfig load(DemoRouting routing) {
        return RoutingConfigLoader.parse(routing.yaml(), "demo-routing.yaml", key -> Optional.ofNullable(SETTINGS.get(key)));
    }

    @Test
    void composeRoutingLoads() throws Exception {
        Path file = Path.of("../../deploy/compose/alerts-routing.yaml");
        RoutingConfig routing = RoutingConfigLoader.parse(Files.readString(file), file.toString(),
                key -> Optional.ofNullable(SETTINGS.get(key)));
        assertThat(routing.receivers()).containsOnlyKeys("console");
    }

    @Test
    void kubernetesConfigMapRoutingLoads() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        String routingYaml = null;
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(new File("../../deploy/kubernetes/chokepoint.yaml"))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.path("kind").asText().equals("ConfigMap")) {
                    routingYaml = doc.path("data").path("alerts-routing.yaml").asText(null);
                }
            }
        }
        assertThat(routingYaml).isNotNull();
        RoutingConfig routing = RoutingConfigLoader.parse(routingYaml, "chokepoint-config/alerts-routing.yaml",
                key -> Optional.ofNullable(SETTINGS.get(key)));
        assertThat(routing.receivers()).containsOnlyKeys("ops-log", "pager");
        assertThat(routing.receiver("pager").fallback()).contains("ops-log");
    }
}
