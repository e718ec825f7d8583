package io.chokepoint.devcluster;

import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
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
                // transactions v1: see EmbeddedKafka.TRANSACTION_VERSION
                assertThat(transactionVersion(admin)).isEqualTo((short) 1);
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
            // as a data directory formatted by an earlier version (Kafka's default, transactions v2) would be
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                admin.updateFeatures(Map.of("transaction.version", new FeatureUpdate((short) 2, FeatureUpdate.UpgradeType.UPGRADE)),
                        new UpdateFeaturesOptions()).all().get(10, TimeUnit.SECONDS);
            }
        }
        try (DevCluster second = DevCluster.start(DevClusterOptions.defaults().withDataDir(dataDir))) {
            try (Admin admin = Admin.create(second.config().kafkaClientProperties())) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topicName);
                assertThat(transactionVersion(admin)).as("stepped down at start").isEqualTo((short) 1);
            }
            // the registry kept its schemas too: the record's schema id still decodes it
            ChokepointConfig config = second.config().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "kept-"));
            assertThat(SchemaRoundTripScenario.consume(config, topicName,
                    config.topics().shipmentMilestones().valueSerde().deserializer(), 1))
                    .singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(SampleEvents.milestone()));
        }
    }

    private static short transactionVersion(Admin admin) throws Exception {
        return admin.describeFeatures().featureMetadata().get(10, TimeUnit.SECONDS).finalizedFeatures()
                .get("transaction.version").maxVersionLevel();
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
