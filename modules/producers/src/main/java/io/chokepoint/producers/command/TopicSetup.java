package io.chokepoint.producers.command;

import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * Makes sure the input topics exist with the catalogue's partitions before anything is sent: a
 * broker that auto-creates topics would otherwise create them with its own defaults and break
 * co-partitioning. Only the inputs: a producer's principal needs no rights on the other topics,
 * which {@code topics create} (or {@code streams --create-topics}) makes.
 */
final class TopicSetup {

    private TopicSetup() {
    }

    static void ensure(ChokepointConfig config) {
        KafkaReachability.require(config);
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            var topics = config.topics();
            new TopicProvisioner(admin, topics, config.replicationFactor()).ensure(topics.inputs());
        }
    }
}
