package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertMetrics;
import io.chokepoint.alerts.routing.ReceiverSpec;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A receiver behind its own circuit breaker and retry policy: exponential backoff with jitter,
 * {@code Retry-After} honoured (capped at {@code max_retry_after}), an open breaker waited out
 * rather than hammered. {@link #deliver} returns on success and throws the last failure after the
 * last attempt.
 */
public final class ReliableDelivery implements AutoCloseable {

    private final Receiver receiver;
    private final ReceiverSpec.RetryPolicy policy;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Duration openFor;

    public ReliableDelivery(Receiver receiver, ReceiverSpec.RetryPolicy policy, ReceiverSpec.BreakerPolicy breakerPolicy,
                            AlertMetrics metrics) {
        this.receiver = receiver;
        this.policy = policy;
        this.openFor = breakerPolicy.openFor();
        this.breaker = CircuitBreaker.of(receiver.name(), CircuitBreakerConfig.custom()
                .failureRateThreshold(breakerPolicy.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breakerPolicy.slidingWindow())
                .minimumNumberOfCalls(breakerPolicy.minimumCalls())
                .waitDurationInOpenState(breakerPolicy.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                // a 400 says nothing about the endpoint's health, only about this payload
                .recordException(t -> t instanceof DeliveryFailure f && f.isRetryable())
                .build());
        this.retry = Retry.of(receiver.name(), RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(t -> t instanceof CallNotPermittedException || t instanceof DeliveryFailure f && f.isRetryable())
                .intervalBiFunction((attempt, outcome) -> waitMillis(attempt, outcome.isLeft() ? outcome.getLeft() : null))
                .build());
        retry.getEventPublisher().onRetry(e -> metrics.retried(receiver.name()));
        breaker.getEventPublisher().onError(e -> metrics.failedAttempt(receiver.name()));
        breaker.getEventPublisher().onIgnoredError(e -> metrics.failedAttempt(receiver.name()));
    }

    public String name() {
        return receiver.name();
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    long waitMillis(int attempt, Throwable failure) {
        if (failure instanceof DeliveryFailure f && f.retryAfter().isPresent()) {
            Duration ra = f.retryAfter().get();
            return Math.min(ra.toMillis(), policy.maxRetryAfter().toMillis());
        }
        if (failure instanceof CallNotPermittedException) {
            return openFor.toMillis();
        }
        double base = policy.initialBackoff().toMillis() * Math.pow(policy.multiplier(), Math.max(0, attempt - 1));
        base = Math.min(base, policy.maxBackoff().toMillis());
        double spread = policy.jitter() * base;
        double jittered = base - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread;
        return Math.max(1, Math.round(Math.min(jittered, policy.maxBackoff().toMillis())));
    }

    /** Delivers with retries; throws the last failure, its message saying how many attempts were made. */
    public void deliver(Notification notification) throws DeliveryFailure {
        CheckedSupplier<Void> attempt = CircuitBreaker.decorateCheckedSupplier(breaker, () -> {
            receiver.deliver(notification);
            return null;
        });
        try {
            Retry.decorateCheckedSupplier(retry, attempt).get();
        } catch (DeliveryFailure f) {
            throw new DeliveryFailure("receiver '" + receiver.name() + "': " + f.getMessage()
                    + (f.isRetryable() ? " (gave up after " + policy.maxAttempts() + " attempts)" : ""), false, null, f);
        } catch (CallNotPermittedException e) {
            throw new DeliveryFailure("receiver '" + receiver.name() + "': circuit breaker open after "
                    + policy.maxAttempts() + " attempts", false, null, e);
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new DeliveryFailure("receiver '" + receiver.name() + "': " + t, false, null, t);
        }
    }

    @Override
    public void close() {
        receiver.close();
    }
}
