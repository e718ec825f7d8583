package io.chokepoint.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chokepoint.events.serde.SerdeFactory;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Strimzi topic resources under deploy/ must say what the catalogue says. */
class DeploymentTopicsTest {

    @Test
    void strimziTopicsMatchTheCatalogue() throws Exception {
        Map<String, JsonNode> specs = new HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(new File("../../deploy/strimzi/topics.yaml"))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.has("spec")) {
                    specs.put(doc.path("spec").path("topicName").asText(), doc.path("spec"));
                }
            }
        }
        Topics topics = new Topics("", Topics.DEFAULT_PARTITIONS, new SerdeFactory(Map.of("schema.registry.url", "http://unused:8081")));

        assertThat(specs.keySet()).containsExactlyInAnyOrderElementsOf(topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : topics.all()) {
            JsonNode spec = specs.get(topic.name());
            assertThat(spec.path("partitions").asInt()).as(topic.name()).isEqualTo(topic.partitions());
            assertThat(spec.path("config").path("cleanup.policy").asText()).as(topic.name()).isEqualTo(topic.cleanupPolicy().kafkaName());
            assertThat(spec.path("config").path("retention.ms").asText()).as(topic.name()).isEqualTo(topic.configs().get("retention.ms"));
        }
    }

    @Test
    void theLiveViewIsACompactedTableBesideTheFinals() {
        Topics topics = new Topics("p-", 4, new SerdeFactory(Map.of("schema.registry.url", "http://unused:8081")));
        assertThat(topics.commodityDelayCurrent().name()).isEqualTo("p-commodity-delay-current");
        assertThat(topics.commodityDelayCurrent().cleanupPolicy()).isEqualTo(Topic.CleanupPolicy.COMPACT);
        assertThat(topics.commodityDelayCurrent().partitions()).as("co-partitioned with the inputs").isEqualTo(4);
        assertThat(topics.commodityDelayStats().cleanupPolicy()).isEqualTo(Topic.CleanupPolicy.DELETE);
    }
}
