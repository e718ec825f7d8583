package io.chokepoint.devcluster;

import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MultiNodeAndRestartTest {

    @Test
    void threeNodesReplicateAndLeaveNoServerThreadsBehind() throws Exception {
        Set<String> threadsBefore = liveThreadNames();
        try (DevCluster cluster = DevCluster.start(DevClusterOptions.defaults().withBrokers(3))) {
            ChokepointConfig config = cluster.config().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "three-"));
            Topics topics = config.topics();
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(3);
                new TopicProvisioner(admin, topics, (short) 3).ensureAll();
                assertThat(admin.describeTopics(List.of(topics.shipmentMilestones().name())).allTopicNames().get()
                        .get(topics.shipmentMilestones().name()).partitions())
                        .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            }
            ShipmentMilestone read = SchemaRoundTripScenario.roundTrip(config, topics.shipmentMilestones(), "850511", SampleEvents.milestone());
            assertThat(read).isEqualTo(SampleEvents.milestone());
        }
        Set<String> leftover = liveThreadNames();
        leftover.removeAll(threadsBefore);
        assertThat(leftover).as("Kafka server threads still running after close")
                .noneMatch(name -> name.startsWith("kafka-") || name.startsWith("broker-") || name.startsWith("controller-")
                        || name.startsWith("data-plane") || name.contains("raft") || name.startsWith("ReplicaFetcher"));
    }

    @Test
    void aPersistentDataDirKeepsTopicsRecordsAndSchemasAcrossRestarts(@TempDir Path dataDir) throws Exception {
        String topicName;
        try (DevCluster first = DevCluster.start(DevClusterOptions.defaults().withDataDir(dataDir))) {
            ChokepointConfig config = first.config().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "kept-"));
            topicName = config.topics().shipmentMilestones().name();
            SchemaRoundTripScenario.produce(config, config.topics().shipmentMilestones(), "850511", SampleEvents.milestone());
        }
        try (DevCluster second = DevCluster.start(DevClusterOptions.defaults().withDataDir(dataDir))) {
            try (Admin admin = Admin.create(second.config().kafkaClientProperties())) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topicName);
            }
            // the registry kept its schemas too: the record's schema id still decodes it
            ChokepointConfig config = second.config().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "kept-"));
            assertThat(SchemaRoundTripScenario.consume(config, topicName,
                    config.topics().shipmentMilestones().valueSerde().deserializer(), 1))
                    .singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(SampleEvents.milestone()));
        }
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
