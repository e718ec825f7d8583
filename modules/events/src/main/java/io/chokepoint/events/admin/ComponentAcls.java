package io.chokepoint.events.admin;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The least Kafka ACLs each Chokepoint component needs, for a cluster with an authorizer and one
 * principal per component. The secured-pipeline test runs every component with exactly these.
 */
public final class ComponentAcls {

    public enum Component {
        /** {@code produce} and {@code simulate}: check the input topics against the catalogue, write them. */
        PRODUCERS,
        /** {@code streams} (delay aggregation, rule evaluation, its dashboard): an exactly-once Kafka Streams application. */
        STREAMS,
        /** {@code alerts} and {@code alerts silence}: read alerts, keep silences and delivery progress, dead-letter. */
        ALERTS,
        /** {@code rules apply}: publish and delete rules. */
        RULES,
        /** {@code topics create}: create the catalogue and check existing topics against it. */
        OPERATOR;

        public String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ComponentAcls() {
    }

    /**
     * @param principal            e.g. {@code User:streams}
     * @param streamsApplicationId {@code streams.application.id}: prefix of its group, transactional ids and internal topics
     * @param alertsGroupId        {@code alerts.group.id}
     */
    public static List<AclBinding> of(Component component, String principal, Topics topics,
                                      String streamsApplicationId, String alertsGroupId) {
        Grants grants = new Grants(principal);
        switch (component) {
            // DescribeConfigs: before sending, producers check the inputs' settings against the catalogue
            case PRODUCERS -> topics.inputs().forEach(t -> grants.topic(t, AclOperation.WRITE, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS));
            case STREAMS -> {
                topics.inputs().forEach(t -> grants.topic(t, AclOperation.READ, AclOperation.DESCRIBE));
                grants.topic(topics.alertRules(), AclOperation.READ, AclOperation.DESCRIBE);
                for (Topic<?, ?> output : List.of(topics.commodityDelayStats(), topics.commodityDelayCurrent(),
                        topics.disruptionAlerts(), topics.deadLetters())) {
                    // Read as well: the dashboard's feed and the rule evaluation read what the aggregation writes
                    grants.topic(output, AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
                }
                // changelog and repartition topics, the consumer group and the transactional ids all start with the application id
                grants.prefixed(ResourceType.TOPIC, streamsApplicationId, AclOperation.ALL);
                grants.prefixed(ResourceType.GROUP, streamsApplicationId, AclOperation.ALL);
                grants.prefixed(ResourceType.TRANSACTIONAL_ID, streamsApplicationId, AclOperation.ALL);
            }
            case ALERTS -> {
                grants.topic(topics.disruptionAlerts(), AclOperation.READ, AclOperation.DESCRIBE);
                grants.topic(topics.alertSilences(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
                grants.topic(topics.alertDeliveries(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
                grants.topic(topics.alertDeadLetters(), AclOperation.WRITE, AclOperation.DESCRIBE);
                grants.literal(ResourceType.GROUP, alertsGroupId, AclOperation.READ);
            }
            case RULES -> grants.topic(topics.alertRules(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
            case OPERATOR -> {
                grants.literal(ResourceType.CLUSTER, "kafka-cluster", AclOperation.DESCRIBE);
                topics.all().forEach(t -> grants.topic(t, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS));
            }
        }
        return grants.bindings;
    }

    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = principal;
        }

        void topic(Topic<?, ?> topic, AclOperation... operations) {
            literal(ResourceType.TOPIC, topic.name(), operations);
        }

        void literal(ResourceType type, String name, AclOperation... operations) {
            add(new ResourcePattern(type, name, PatternType.LITERAL), operations);
        }

        void prefixed(ResourceType type, String prefix, AclOperation... operations) {
            add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operations);
        }

        private void add(ResourcePattern pattern, AclOperation... operations) {
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
        }
    }
}
