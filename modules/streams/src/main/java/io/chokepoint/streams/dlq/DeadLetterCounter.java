package io.chokepoint.streams.dlq;

import io.chokepoint.events.avro.FailureStage;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts records sent to the dead-letter topic, by failure stage. Kafka Streams creates its
 * exception handlers by class name, so the application hands one counter to them through the
 * Streams configuration ({@link DeadLetters#COUNTER_CONFIG}) and reads it for its metrics.
 */
public final class DeadLetterCounter {

    private final Map<FailureStage, LongAdder> counts = new EnumMap<>(FailureStage.class);

    public DeadLetterCounter() {
        for (FailureStage stage : FailureStage.values()) {
            counts.put(stage, new LongAdder());
        }
    }

    void increment(FailureStage stage) {
        counts.get(stage).increment();
    }

    public long count(FailureStage stage) {
        return counts.get(stage).sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
