package io.chokepoint.streams.dlq;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.Map;

/** A registry-backed deserializer that rides out short registry outages (see {@link RegistryRetry}). */
public final class RetryingDeserializer<T> implements Deserializer<T> {

    private final Deserializer<T> delegate;
    private final RegistryRetry retry;

    public RetryingDeserializer(Deserializer<T> delegate, int attempts, Duration backoff) {
        this.delegate = delegate;
        this.retry = new RegistryRetry(attempts, backoff);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // the delegate comes configured from the topic catalogue
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return retry.call(topic, () -> delegate.deserialize(topic, data));
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return retry.call(topic, () -> delegate.deserialize(topic, headers, data));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
