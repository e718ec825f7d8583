package io.chokepoint.devcluster;

import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.admin.TopicProvisioner.Outcome;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(DevClusterExtension.class)
class TopicProvisionerTest {

    private ChokepointConfig config;

    @BeforeEach
    void setUp(DevCluster cluster) {
        config = cluster.config().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "tp" + UUID.randomUUID().toString().substring(0, 8) + "-"));
    }

    @Test
    void creationIsIdempotentAndAppliesTheCatalogueSettings() throws Exception {
        Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, topics, (short) 1);

            TopicProvisioner.Report first = provisioner.ensureAll();
            TopicProvisioner.Report second = provisioner.ensureAll();

            assertThat(first.outcomes()).hasSize(topics.all().size()).containsValues(Outcome.CREATED).doesNotContainValue(Outcome.ALREADY_PRESENT);
            assertThat(second.outcomes().values()).containsOnly(Outcome.ALREADY_PRESENT);
            assertThat(admin.describeTopics(List.of(topics.shipmentMilestones().name())).allTopicNames().get()
                    .get(topics.shipmentMilestones().name()).partitions()).hasSize(Topics.DEFAULT_PARTITIONS);
            ConfigResource rules = new ConfigResource(ConfigResource.Type.TOPIC, topics.alertRules().name());
            ConfigEntry policy = admin.describeConfigs(List.of(rules)).all().get().get(rules).get("cleanup.policy");
            assertThat(policy.value()).isEqualTo("compact");
        }
    }

    @Test
    void anExistingInputTopicWithOtherPartitionsIsReportedAsBreakingCoPartitioning() throws Exception {
        Topics topics = config.topics();
        Topic<?, ?> tariffs = topics.tariffChanges();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            admin.createTopics(List.of(new NewTopic(tariffs.name(), 2, (short) 1))).all().get();

            assertThatThrownBy(() -> new TopicProvisioner(admin, topics, (short) 1).ensureAll())
                    .isInstanceOf(TopicProvisioner.TopicMismatchException.class)
                    .hasMessageContaining("topic '" + tariffs.name() + "' has 2 partitions, the catalogue expects 6")
                    .hasMessageContaining("not co-partitioned");
        }
    }
}
