package io.chokepoint.streams;

import io.chokepoint.events.avro.CommodityDelayStats;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The window history serves queries only: a finals topic it cannot read leaves it empty, it never fails the task. */
class WindowHistoryUnreachableTest {

    @Test
    void aBrokerThatDoesNotAnswerLeavesTheHistoryEmptyAndTheTaskRunning() {
        Deserializer<CommodityDelayStats> never = (topic, data) -> {
            throw new AssertionError("nothing can be read");
        };
        WindowHistory history = new WindowHistory("commodity-delay-stats", "shipment-milestones", never, Duration.ofHours(24),
                Duration.ofSeconds(2));
        Map<String, Object> app = Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "history-test",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");

        int refilled = history.refill(app, new TaskId(0, 3), null, 0L);

        assertThat(refilled).as("no exception, nothing put (the store is never touched)").isZero();
    }
}
