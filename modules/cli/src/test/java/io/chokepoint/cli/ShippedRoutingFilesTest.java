package io.chokepoint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.routing.RoutingConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing files we ship (demo, compose, Kubernetes) must load with the real loader. */
class ShippedRoutingFilesTest {

    private static final Map<String, String> SETTINGS = Map.of("alerts.secrets.pager", "a-signing-secret-of-32-characters");

    @Test
    void demoRoutingLoads() throws Exception {
        try (InputStream in = DemoPipeline.class.getResourceAsStream("demo-routing.yaml")) {
            assertThat(in).isNotNull();
            RoutingConfig routing = RoutingConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "demo-routing.yaml", key -> Optional.ofNullable(SETTINGS.get(key)));
            assertThat(routing.receivers()).containsOnlyKeys("console");
            assertThat(routing.receiver("console").target()).isInstanceOf(io.chokepoint.alerts.routing.ReceiverSpec.JsonLines.class);
            assertThat(routing.inhibitRules()).hasSize(1);
        }
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
