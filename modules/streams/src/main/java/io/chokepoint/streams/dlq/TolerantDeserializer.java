package io.chokepoint.streams.dlq;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads a source topic's records, handing on an {@link UnreadableRecord} for one that is the
 * record's fault instead of throwing; a registry outage still throws (the deserialization handler
 * then stops the application, since every following record would fail the same way).
 *
 * <p>Why not leave unreadable records to Kafka Streams' deserialization handler: it runs when a
 * record is fetched, not when it is processed, and its dead letter goes into whichever transaction
 * is open then, while the record's offset is committed only once the task has processed a record of
 * that partition. A task restarted in between (a rebalance, a fenced producer) reads the record again
 * and dead-letters it a second time: the fail-over test committed a pill's dead letter twice.
 */
public final class TolerantDeserializer implements Deserializer<Object> {

    private final Deserializer<?> delegate;

    public TolerantDeserializer(Deserializer<?> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // the delegate comes configured from the topic catalogue
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return read(() -> delegate.deserialize(topic, data));
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        return read(() -> delegate.deserialize(topic, headers, data));
    }

    private static Object read(Supplier<?> reading) {
        try {
            return reading.get();
        } catch (RuntimeException e) {
            if (RegistryRetry.isRegistryOutage(e)) {
                throw e;
            }
            return new UnreadableRecord(e);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
