package io.chokepoint.alerts;

import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery progress stays bounded: entries older than the retention leave memory and get a
 * tombstone in the topic, and a dispatcher starting later reads only what is still recent.
 */
@ExtendWith(DevClusterExtension.class)
class ExpiringViewTest {

    static final Duration EXPIRE = Duration.ofSeconds(2);

    @Test
    void expired_entries_leave_memory_with_tombstones_and_are_not_read_at_start(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of())) {
            String topic = bed.config().get("topic.prefix") + "expiring";
            try (Admin admin = Admin.create(bed.config().kafkaClientProperties())) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
            try (CompactedTopicView view = CompactedTopicView.expiring(topic, bed.config().kafkaClientProperties(), EXPIRE,
                    Duration.ofMillis(5), Clock.systemUTC()).start(Duration.ofSeconds(30))) {
                Map<String, String> entries = new HashMap<>();
                for (int i = 0; i < 500; i++) {
                    entries.put("hook|old-" + i + ":firing", "{\"outcome\":\"DELIVERED\"}");
                }
                view.putAll(entries);
                assertThat(view.size()).isEqualTo(500);
                await().atMost(Duration.ofSeconds(10)).until(() -> view.size() == 0);
                view.put("hook|recent:firing", "{\"outcome\":\"DELIVERED\"}");
                assertThat(view.size()).isOne();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> tombstones(bed, topic) == 500);

            try (CompactedTopicView restarted = CompactedTopicView.expiring(topic, bed.config().kafkaClientProperties(), EXPIRE,
                    Duration.ofMillis(5), Clock.systemUTC()).start(Duration.ofSeconds(30))) {
                assertThat(restarted.size()).as("only the recent entry is read").isOne();
                assertThat(restarted.get("hook|recent:firing")).isNotNull();
            }
        }
    }

    static long tombstones(AlertsTestBed bed, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(bed.config().kafkaClientProperties(), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(100)).forEach(all::add);
            }
            return all.stream().filter(r -> r.value() == null).count();
        }
    }
}
