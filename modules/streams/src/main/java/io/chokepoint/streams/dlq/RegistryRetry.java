package io.chokepoint.streams.dlq;

import io.chokepoint.events.serde.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a registry-backed (de)serialization while the registry is unreachable or answers
 * 5xx, with doubling back-off; after the last attempt throws {@link RegistryUnavailableException}.
 * Refusals (404, 409, a malformed record) are not retried: they are the record's fault.
 */
final class RegistryRetry {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryRetry.class);

    private final int attempts;
    private final Duration backoff;

    RegistryRetry(int attempts, Duration backoff) {
        this.attempts = attempts;
        this.backoff = backoff;
    }

    <T> T call(String topic, Supplier<T> action) {
        long sleep = backoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (SchemaRegistryException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                if (attempt >= attempts) {
                    throw new RegistryUnavailableException("schema registry still unavailable after " + attempts
                            + " attempts for topic '" + topic + "': " + e.getMessage(), e);
                }
                LOG.warn("schema registry unavailable for topic '{}' (attempt {}/{}), retrying in {} ms: {}",
                        topic, attempt, attempts, sleep, e.getMessage());
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException("interrupted while waiting for the schema registry", e);
                }
                sleep = Math.min(sleep * 2, 30_000);
            }
        }
    }

    /** True when {@code e} or one of its causes says the registry, not the record, is at fault. */
    static boolean isRegistryOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
            if (t instanceof SchemaRegistryException sre && sre.isTransient()) {
                return true;
            }
        }
        return false;
    }
}
