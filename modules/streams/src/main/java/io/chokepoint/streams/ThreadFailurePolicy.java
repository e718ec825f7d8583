package io.chokepoint.streams;

import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * What a stream thread's uncaught failure does to the instance. A failure Kafka Streams recovers
 * from on a new thread replaces the thread; anything else (the registry down after the retries, a
 * bug) stops the instance so that it exits non-zero with the reason.
 *
 * <p>Recovered on a new thread: a consumer that lost its positions. Kafka Streams 4.4, handling a
 * task it found corrupted after a broker came back, asks the consumer for the positions of the
 * task's input partitions before it has reset those without a committed offset (the sparse tariff
 * and licence partitions), and the consumer, whose own reset policy Kafka Streams sets to none,
 * throws. A new thread rejoins the group and its tasks start from their committed offsets, or from
 * each source's reset policy. Seen once in {@code StreamsFailoverTest}, where it stopped an instance
 * without a record lost.
 *
 * <p>At most {@link #MAX_REPLACEMENTS} replacements within {@link #WINDOW}: a failure that keeps
 * coming back is not transient, and the instance stops.
 */
final class ThreadFailurePolicy {

    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final LongSupplier clockMs;
    private final Deque<Long> replacedAt = new ArrayDeque<>();

    ThreadFailurePolicy(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    synchronized StreamThreadExceptionResponse onFailure(Throwable failure) {
        if (!recoverableOnNewThread(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clockMs.getAsLong();
        while (!replacedAt.isEmpty() && now - replacedAt.peekFirst() > WINDOW.toMillis()) {
            replacedAt.removeFirst();
        }
        if (replacedAt.size() >= MAX_REPLACEMENTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacedAt.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean recoverableOnNewThread(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidOffsetException) {
                return true;
            }
        }
        return false;
    }
}
