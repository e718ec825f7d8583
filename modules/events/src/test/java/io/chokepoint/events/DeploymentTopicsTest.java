package io.chokepoint.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Strimzi topic resources under deploy/ must declare exactly the catalogue, with its settings. */
class DeploymentTopicsTest {

    /** Chosen by a deployment for its brokers, not by the catalogue. */
    private static final Set<String> DEPLOYMENT_CONFIGS = Set.of("min.insync.replicas");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void strimziTopicsAreExactlyTheCatalogueWithItsSettings() throws Exception {
        Map<String, JsonNode> specs = kafkaTopicSpecs(Path.of("../../deploy"));
        Topics topics = ChokepointConfig.of(Map.of(ChokepointConfig.SCHEMA_REGISTRY_URL, "http://unused:8081")).topics();

        assertThat(specs.keySet()).as("KafkaTopic resources under deploy/")
                .containsExactlyInAnyOrderElementsOf(topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : topics.all()) {
            JsonNode spec = specs.get(topic.name());
            assertThat(spec.path("partitions").asInt()).as(topic.name()).isEqualTo(topic.partitions());
            Map<String, String> config = new LinkedHashMap<>();
            spec.path("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            DEPLOYMENT_CONFIGS.forEach(config::remove);
            assertThat(config).as(topic.name() + " config").isEqualTo(topic.configs());
        }
    }

    @Test
    void theLiveViewIsACompactedTableBesideTheFinals() {
        Topics topics = ChokepointConfig.of(Map.of(ChokepointConfig.SCHEMA_REGISTRY_URL, "http://unused:8081",
                ChokepointConfig.TOPIC_PREFIX, "p-", ChokepointConfig.TOPIC_PARTITIONS, "4")).topics();
        assertThat(topics.commodityDelayCurrent().name()).isEqualTo("p-commodity-delay-current");
        assertThat(topics.commodityDelayCurrent().cleanupPolicy()).isEqualTo(Topic.CleanupPolicy.COMPACT);
        assertThat(topics.commodityDelayCurrent().partitions()).as("co-partitioned with the inputs").isEqualTo(4);
        assertThat(topics.commodityDelayStats().cleanupPolicy()).isEqualTo(Topic.CleanupPolicy.DELETE);
    }

    /** Every KafkaTopic in every YAML document under {@code dir}, by topic name; a topic declared twice fails. */
    private static Map<String, JsonNode> kafkaTopicSpecs(Path dir) throws IOException {
        Map<String, JsonNode> specs = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && doc.path("kind").asText().equals("KafkaTopic")) {
                        String name = doc.path("spec").path("topicName").asText();
                        assertThat(specs.put(name, doc.path("spec"))).as(name + " declared again in " + file).isNull();
                    }
                }
            }
        }
        return specs;
    }
}
