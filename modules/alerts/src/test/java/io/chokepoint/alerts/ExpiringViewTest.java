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
            String topic = compactedTopic(bed, "expiring");
            try (CompactedTopicView view = startView(bed, topic, EXPIRE)) {
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

            try (CompactedTopicView restarted = startView(bed, topic, EXPIRE)) {
                assertThat(restarted.size()).as("only the recent entry is read").isOne();
                assertThat(restarted.get("hook|recent:firing")).isNotNull();
            }
        }
    }

    /**
     * An expiring view reads the topic only when asked: what another instance wrote is there after
     * each catch-up (as on every partition assignment), also after the view has sat idle between them.
     */
    @Test
    void a_catch_up_brings_in_what_another_instance_wrote_each_time_it_is_asked(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of())) {
            String topic = compactedTopic(bed, "shared-progress");
            Duration day = Duration.ofDays(1);
            try (CompactedTopicView writer = startView(bed, topic, day);
                 CompactedTopicView successor = startView(bed, topic, day)) {
                for (int round = 0; round < 3; round++) {
                    Map<String, String> entries = new HashMap<>();
                    for (int i = 0; i < 100; i++) {
                        entries.put("hook|round" + round + "-" + i + ":firing", "{\"outcome\":\"DELIVERED\"}");
                    }
                    writer.putAll(entries);
                    Thread.sleep(500); // idle between catch-ups, as between rebalances
                    successor.awaitCaughtUp(Duration.ofSeconds(30));
                    assertThat(successor.size()).as("after catch-up %d", round).isEqualTo(100 * (round + 1));
                    assertThat(successor.get("hook|round" + round + "-99:firing")).isEqualTo("{\"outcome\":\"DELIVERED\"}");
                }
                writer.put("hook|round0-0:firing", null);
                successor.awaitCaughtUp(Duration.ofSeconds(30));
                assertThat(successor.get("hook|round0-0:firing")).as("a delete is read too").isNull();
            }
        }
    }

    /** A compacted topic of two partitions, named after the test bed's prefix. */
    static String compactedTopic(AlertsTestBed bed, String name) throws Exception {
        String topic = bed.config().get("topic.prefix") + name;
        try (Admin admin = Admin.create(bed.config().kafkaClientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        return topic;
    }

    /** An expiring view on {@code topic}, as the dispatcher builds one (5 ms linger), read to the end. */
    static CompactedTopicView startView(AlertsTestBed bed, String topic, Duration expireAfter) {
        return CompactedTopicView.expiring(topic, bed.config().kafkaClientProperties(), expireAfter, Duration.ofMillis(5), Clock.systemUTC())
                .start(Duration.ofSeconds(30));
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
