package io.chokepoint.streams;

import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailurePolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ThreadFailurePolicy policy = new ThreadFailurePolicy(now::get);

    /** What Kafka Streams 4.4 threw in StreamsFailoverTest: positions asked for during corruption handling. */
    private static StreamsException lostPositions() {
        return new StreamsException(new NoOffsetForPartitionException(
                List.of(new TopicPartition("tariff-changes", 3), new TopicPartition("export-licenses", 3))));
    }

    @Test
    void aConsumerThatLostItsPositionsGetsANewThread() {
        assertThat(policy.onFailure(lostPositions())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void anythingElseStopsTheInstance() {
        assertThat(policy.onFailure(new StreamsException("registry down", new SerializationException("HTTP 503"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(policy.onFailure(new IllegalStateException("a bug"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aFailureThatKeepsComingBackStopsTheInstanceAfterThreeReplacements() {
        for (int i = 0; i < ThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            assertThat(policy.onFailure(lostPositions())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(60_000);
        }
        assertThat(policy.onFailure(lostPositions())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        // once the earlier replacements are older than the window, one more is allowed
        now.addAndGet(ThreadFailurePolicy.WINDOW.toMillis());
        assertThat(policy.onFailure(lostPositions())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
