package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertMetrics;
import io.chokepoint.alerts.routing.ReceiverSpec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A receiver behind its own circuit breaker and retry policy: exponential backoff with jitter,
 * {@code Retry-After} honoured (capped at {@code max_retry_after}), an open breaker waited out
 * rather than hammered. Attempts never block the caller: the next attempt is <em>scheduled</em>
 * on the shared {@code scheduler}, which only starts attempts and never waits on one, so one
 * receiver's backoff costs no other receiver (or group) a thread. At most {@code concurrency}
 * attempts are on the wire at once; one waiting out its back-off holds no slot, so a notification
 * that keeps failing does not narrow the receiver for the others. {@link #deliver} completes on
 * success and fails with the last failure after the last attempt.
 */
public final class ReliableDelivery implements AutoCloseable {

    private final Receiver receiver;
    private final ReceiverSpec.RetryPolicy policy;
    private final CircuitBreaker breaker;
    private final Duration openFor;
    private final AlertMetrics metrics;
    private final ScheduledExecutorService scheduler;
    /** For receivers whose client blocks (Kafka, files): their own threads, never the scheduler's. */
    private final ExecutorService blocking;
    /** Attempts on the wire at once; an attempt waiting out its back-off holds no slot. */
    private final int limit;
    private int attempting;
    private final Deque<Runnable> waiting = new ArrayDeque<>();

    public ReliableDelivery(Receiver receiver, ReceiverSpec.RetryPolicy policy, ReceiverSpec.BreakerPolicy breakerPolicy,
                            int concurrency, AlertMetrics metrics, ScheduledExecutorService scheduler) {
        this.receiver = receiver;
        this.policy = policy;
        this.openFor = breakerPolicy.openFor();
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.limit = concurrency;
        this.blocking = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "receiver-" + receiver.name());
            t.setDaemon(true);
            return t;
        });
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
    }

    public String name() {
        return receiver.name();
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    long waitMillis(int attempt, DeliveryFailure failure) {
        if (failure == null) {
            return openFor.toMillis(); // the breaker was open: wait it out
        }
        if (failure.retryAfter().isPresent()) {
            return Math.min(failure.retryAfter().get().toMillis(), policy.maxRetryAfter().toMillis());
        }
        double base = policy.initialBackoff().toMillis() * Math.pow(policy.multiplier(), Math.max(0, attempt - 1));
        base = Math.min(base, policy.maxBackoff().toMillis());
        double spread = policy.jitter() * base;
        double jittered = base - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread;
        return Math.max(1, Math.round(Math.min(jittered, policy.maxBackoff().toMillis())));
    }

    /** Delivers with retries; fails with a {@link DeliveryFailure} whose message says how many attempts were made. */
    public CompletableFuture<Void> deliver(Notification notification) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        attempt(notification, 1, result);
        return result;
    }

    private void attempt(Notification n, int attempt, CompletableFuture<Void> result) {
        synchronized (waiting) {
            if (attempting >= limit) {
                waiting.add(() -> attemptNow(n, attempt, result));
                return;
            }
            attempting++;
        }
        attemptNow(n, attempt, result);
    }

    /** An attempt ended: its slot goes to the longest-waiting one. */
    private void release() {
        Runnable next;
        synchronized (waiting) {
            next = waiting.poll();
            if (next == null) {
                attempting--;
                return;
            }
        }
        next.run();
    }

    /** Runs with a slot held; every path releases it exactly once. */
    private void attemptNow(Notification n, int attempt, CompletableFuture<Void> result) {
        if (!breaker.tryAcquirePermission()) {
            scheduler.execute(this::release); // not inline: a queue of refused attempts must not recurse
            retryOrGiveUp(n, attempt, null, result);
            return;
        }
        long start = System.nanoTime();
        CompletableFuture<Void> sent;
        try {
            sent = receiver.deliverAsync(n, blocking);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            release();
            long took = System.nanoTime() - start;
            if (error == null) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                result.complete(null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            DeliveryFailure f = cause instanceof DeliveryFailure d ? d
                    : DeliveryFailure.retryable(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
            breaker.onError(took, TimeUnit.NANOSECONDS, f);
            metrics.failedAttempt(name());
            if (!f.isRetryable()) {
                result.completeExceptionally(new DeliveryFailure("receiver '" + name() + "': " + f.getMessage(), false, null, f));
                return;
            }
            retryOrGiveUp(n, attempt, f, result);
        });
    }

    /** {@code failure} is null when the open breaker refused the attempt. */
    private void retryOrGiveUp(Notification n, int attempt, DeliveryFailure failure, CompletableFuture<Void> result) {
        if (attempt >= policy.maxAttempts()) {
            String why = failure == null ? "circuit breaker open after " + attempt + " attempts"
                    : failure.getMessage() + " (gave up after " + attempt + " attempts)";
            result.completeExceptionally(new DeliveryFailure("receiver '" + name() + "': " + why, false, null, failure));
            return;
        }
        metrics.retried(name());
        try {
            scheduler.schedule(() -> attempt(n, attempt + 1, result), waitMillis(attempt, failure), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            result.completeExceptionally(new DeliveryFailure("receiver '" + name() + "': stopping", false, null, stopping));
        }
    }

    @Override
    public void close() {
        blocking.shutdownNow();
        receiver.close();
    }
}
