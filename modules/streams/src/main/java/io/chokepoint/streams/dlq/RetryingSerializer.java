package io.chokepoint.streams.dlq;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.Map;

/** A registry-backed serializer that rides out short registry outages (see {@link RegistryRetry}). */
public final class RetryingSerializer<T> implements Serializer<T> {

    private final Serializer<T> delegate;
    private final RegistryRetry retry;

    public RetryingSerializer(Serializer<T> delegate, int attempts, Duration backoff) {
        this.delegate = delegate;
        this.retry = new RegistryRetry(attempts, backoff);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // the delegate comes configured from the topic catalogue
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return retry.call(topic, () -> delegate.serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return retry.call(topic, () -> delegate.serialize(topic, headers, data));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
