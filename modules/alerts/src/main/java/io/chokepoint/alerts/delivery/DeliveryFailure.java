package io.chokepoint.alerts.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * One delivery attempt failed. Retryable failures (connection refused, timeouts, 408, 429, 5xx,
 * broker errors) are retried and count against the circuit breaker; the others (400, 401, 404 …)
 * are not, since sending the same request again cannot succeed.
 */
public final class DeliveryFailure extends Exception {

    private final boolean retryable;
    private final Duration retryAfter;

    public DeliveryFailure(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public static DeliveryFailure retryable(String message, Throwable cause) {
        return new DeliveryFailure(message, true, null, cause);
    }

    public static DeliveryFailure permanent(String message) {
        return new DeliveryFailure(message, false, null, null);
    }

    public boolean isRetryable() {
        return retryable;
    }

    /** The server's {@code Retry-After}, if it sent one with a 429 or 503. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
