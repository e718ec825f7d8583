package io.chokepoint.events;

import io.chokepoint.events.Topic.CleanupPolicy;
import io.chokepoint.events.Topic.Role;
import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the catalogue promises about every topic: who owns it, how long it keeps records. */
class TopicCatalogueTest {

    private static Topics topics(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(ChokepointConfig.SCHEMA_REGISTRY_URL, "http://unused:8081");
        return ChokepointConfig.of(all).topics();
    }

    @Test
    void noTopicOfEventTimeIsKeptByAgeAndEveryOutputIsBounded() {
        for (Topic<?, ?> topic : topics(Map.of()).all()) {
            if (topic.role() == Role.INPUT) {
                assertThat(topic.retention()).as(topic.name()).isEqualTo(Retention.UNLIMITED);
            }
            if (topic.role() == Role.OUTPUT) {
                assertThat(topic.retention().ms()).as(topic.name() + " carries event time").isEqualTo(-1);
                assertThat(topic.cleanupPolicy() == CleanupPolicy.COMPACT || topic.retention().bytes() > 0)
                        .as(topic.name() + " is compacted or bounded by size").isTrue();
            }
            if (topic.role() == Role.DEAD_LETTER) {
                assertThat(topic.retention().ms()).as(topic.name() + " carries the wall-clock time of failure").isPositive();
            }
        }
    }

    @Test
    void theAlertDispatcherTopicsAreInTheCatalogueUnderTheirConfiguredNames() {
        Topics defaults = topics(Map.of(ChokepointConfig.TOPIC_PREFIX, "p-"));
        Topics renamed = topics(Map.of(ChokepointConfig.TOPIC_PREFIX, "p-", ChokepointConfig.ALERTS_SILENCES_TOPIC, "team-b-silences",
                ChokepointConfig.ALERTS_DELIVERIES_TOPIC, "team-b-deliveries", ChokepointConfig.ALERTS_DELIVERIES_RETENTION, "2d"));

        assertThat(defaults.all()).extracting(Topic::name).contains("p-alert-silences", "p-alert-deliveries");
        assertThat(defaults.alertSilences().partitions()).isEqualTo(1);
        assertThat(defaults.alertDeliveries().configs()).containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", "604800000");
        assertThat(renamed.all()).extracting(Topic::name).contains("team-b-silences", "team-b-deliveries")
                .doesNotContain("p-alert-silences", "p-alert-deliveries");
        assertThat(renamed.alertDeliveries().configs()).containsEntry("retention.ms", "172800000");
    }

    @Test
    void aSizeBoundComesWithSegmentsOfAQuarterOfIt() {
        assertThat(Retention.bySize(256L << 20).configs()).containsEntry("retention.bytes", "268435456")
                .containsEntry("segment.bytes", "67108864").containsEntry("retention.ms", "-1");
        assertThat(Retention.UNLIMITED.configs()).doesNotContainKey("segment.bytes");
        assertThat(Retention.bySize(1L << 30)).hasToString("1 GiB per partition");
        assertThat(Retention.byAge(Duration.ofDays(30))).hasToString("30d");
    }
}
