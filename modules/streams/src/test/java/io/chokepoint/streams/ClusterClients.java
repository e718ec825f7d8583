package io.chokepoint.streams;

import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Properties;
import java.util.UUID;

/** The clients the integration tests on the embedded cluster feed milestones with and read stats back with. */
final class ClusterClients {

    private ClusterClients() {
    }

    /** An idempotent producer of milestones, acknowledged by all replicas. */
    static KafkaProducer<String, ShipmentMilestone> milestoneProducer(ChokepointConfig config, Topics topics) {
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), topics.shipmentMilestones().valueSerde().serializer());
    }

    /** A consumer of the committed stats records of {@code topic} (finals or live views), from the beginning, in a group of its own. */
    static KafkaConsumer<String, CommodityDelayStats> statsReader(ChokepointConfig config, Topics topics, String topic) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "stats-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, CommodityDelayStats> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.commodityDelayStats().valueSerde().deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
