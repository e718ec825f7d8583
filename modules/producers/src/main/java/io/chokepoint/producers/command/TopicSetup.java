package io.chokepoint.producers.command;

import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * Makes sure the catalogue's topics exist with the right partitions before anything is sent: a
 * broker that auto-creates topics would otherwise create them with its own defaults and break
 * co-partitioning.
 */
final class TopicSetup {

    private TopicSetup() {
    }

    static void ensure(ChokepointConfig config) {
        KafkaReachability.require(config);
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, config.topics(), config.replicationFactor()).ensureAll();
        }
    }
}
