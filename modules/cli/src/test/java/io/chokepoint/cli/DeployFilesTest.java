package io.chokepoint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy files cannot run on these machines (no Docker engine, no Kubernetes), so what would
 * break them silently is pinned here: the broker version drifting from the build's, streams state
 * on a container's throw-away layer, probes pointing at paths the services do not serve.
 */
class DeployFilesTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void composeRunsTheBuildsKafkaVersionKeepsStreamsStateAndPublishesTheDashboard() throws IOException {
        JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).path("services");
        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + pomProperty("kafka.version"));
        JsonNode streams = services.path("streams");
        String stateDir = streams.path("environment").path("CHOKEPOINT_STREAMS_STATE_DIR").asText();
        assertThat(stateDir).isNotEmpty();
        assertThat(streams.path("volumes").toString()).contains(":" + stateDir);
        assertThat(streams.path("ports").toString()).contains("9095:9095");
        assertThat(services.path("schema-registry").path("image").asText()).endsWith(":" + pomProperty("apicurio.version"));
    }

    @Test
    void kubernetesNamesAHeadlessServiceProbesTheHealthEndpointsAndRequestsResources() throws IOException {
        List<JsonNode> docs = kubernetesDocuments();
        JsonNode statefulSet = docs.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        String serviceName = statefulSet.path("spec").path("serviceName").asText();
        JsonNode service = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Service") && d.path("metadata").path("name").asText().equals(serviceName))
                .findFirst().orElseThrow(() -> new AssertionError("no Service named " + serviceName + " for the StatefulSet"));
        assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
        for (JsonNode workload : docs) {
            if (!List.of("StatefulSet", "Deployment").contains(workload.path("kind").asText())) {
                continue;
            }
            for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
                String name = workload.path("metadata").path("name").asText() + "/" + container.path("name").asText();
                assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).as(name).isEqualTo("/health/ready");
                assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).as(name).isEqualTo("/health/live");
                assertThat(container.path("resources").path("requests").path("memory").asText()).as(name).isNotEmpty();
                assertThat(container.path("resources").path("limits").path("memory").asText()).as(name).isNotEmpty();
            }
        }
    }

    @Test
    void theImageRunsTheDistributionsLauncher() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("./mvnw -B -q package -DskipTests")
                .contains("COPY --from=build /src/modules/cli/target/chokepoint /opt/chokepoint")
                .contains("ENTRYPOINT [\"/opt/chokepoint/bin/chokepoint\"]");
    }

    private static List<JsonNode> kubernetesDocuments() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(ROOT.resolve("deploy/kubernetes/chokepoint.yaml").toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1);
    }
}
