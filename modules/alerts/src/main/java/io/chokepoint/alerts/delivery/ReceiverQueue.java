package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertMetrics;
import io.chokepoint.alerts.grouping.PendingAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One receiver's notifications: those of one group strictly one after the other (FIRING before
 * its RESOLVED), the others concurrently, up to the receiver's in-flight limit
 * ({@link ReliableDelivery}). Sends are asynchronous and back-off is scheduled, so a receiver
 * that is down or slow holds only its own slots, never a thread another receiver needs. For each notification: deliver
 * with retries; after the last attempt try the fallback receiver; if that fails too, dead-letter
 * the alerts. Then record the outcome in the delivery progress topic and only then report
 * completion, which lets the dispatcher commit the offset. If Kafka itself cannot take the
 * progress or dead letter, the queue keeps trying: nothing is reported complete that is not
 * durably accounted for.
 */
public final class ReceiverQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReceiverQueue.class);
    private static final Duration KAFKA_RETRY = Duration.ofSeconds(1);

    private final ReliableDelivery delivery;
    private final Optional<ReliableDelivery> fallback;
    private final DeliveryProgress progress;
    private final DeadLetterPublisher deadLetters;
    private final AlertMetrics metrics;
    private final Clock clock;
    private final Consumer<Notification> completed;
    /** Blocking Kafka writes of the rare paths (dead letters, progress retries), off the HTTP and scheduler threads. */
    private final ExecutorService accounting;
    /** Per group, the notifications after the one in flight; a group is a key here while it has one in flight. */
    private final Map<String, Deque<Notification>> busyGroups = new HashMap<>();
    private int queued;
    private final AtomicInteger awaitingAck = new AtomicInteger();
    private volatile boolean running = true;

    public ReceiverQueue(ReliableDelivery delivery, Optional<ReliableDelivery> fallback, DeliveryProgress progress,
                         DeadLetterPublisher deadLetters, AlertMetrics metrics, Clock clock, Consumer<Notification> completed) {
        this.delivery = delivery;
        this.fallback = fallback;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.completed = completed;
        this.accounting = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "receiver-" + delivery.name() + "-accounting");
            t.setDaemon(true);
            return t;
        });
    }

    public String name() {
        return delivery.name();
    }

    public Optional<ReliableDelivery> fallback() {
        return fallback;
    }

    public void offer(Notification n) {
        synchronized (this) {
            queued++;
            Deque<Notification> behind = busyGroups.get(n.groupKey());
            if (behind != null) {
                behind.add(n); // its group has one under way: it goes when that one is done
                return;
            }
            busyGroups.put(n.groupKey(), new ArrayDeque<>());
        }
        send(n);
    }

    /** Notifications not yet accounted for: waiting, under way, or awaiting the progress write. */
    public synchronized int depth() {
        return queued + awaitingAck.get();
    }

    public ReliableDelivery delivery() {
        return delivery;
    }

    /** The notification's delivery ended (whatever the outcome): its group's next one may go. */
    private void sent(Notification n) {
        Notification following;
        synchronized (this) {
            queued--;
            Deque<Notification> behind = busyGroups.get(n.groupKey());
            following = behind == null ? null : behind.poll();
            if (following == null) {
                busyGroups.remove(n.groupKey());
            }
        }
        if (following != null && running) {
            send(following);
        }
    }

    private void send(Notification n) {
        Instant start = clock.instant();
        delivery.deliver(n).handle((ok, error) -> {
            if (error == null) {
                return CompletableFuture.<Object>completedFuture(DeliveryProgress.Outcome.DELIVERED);
            }
            String failure = unwrap(error).getMessage();
            if (fallback.isEmpty() || !running) {
                return CompletableFuture.<Object>completedFuture(new Failed(failure));
            }
            return fallback.get().deliver(n.forReceiver(fallback.get().name())).handle((ok2, error2) -> {
                        if (error2 == null) {
                            metrics.fallback(name());
                            log.warn("{}; delivered by fallback receiver '{}'", failure, fallback.get().name());
                            return (Object) DeliveryProgress.Outcome.DELIVERED_BY_FALLBACK;
                        }
                        return (Object) new Failed(failure + "; fallback " + unwrap(error2).getMessage());
                    });
        }).thenCompose(f -> f).whenComplete((result, error) -> {
            sent(n);
            if (!running) {
                return; // stopping: not accounted for, so not completed; the record is replayed
            }
            if (result instanceof Failed failed) {
                accounting.execute(() -> deadLetter(n, failed.reason()));
            } else {
                DeliveryProgress.Outcome outcome = (DeliveryProgress.Outcome) result;
                if (outcome == DeliveryProgress.Outcome.DELIVERED) {
                    Instant end = clock.instant();
                    Duration sinceRecord = n.alerts().stream().filter(p -> p.ticket() != null)
                            .map(p -> Duration.ofMillis(end.toEpochMilli() - p.ticket().recordTimestamp()))
                            .max(Duration::compareTo).orElse(null);
                    metrics.delivered(name(), Duration.between(start, end), sinceRecord);
                }
                account(n, outcome);
            }
        });
    }

    private record Failed(String reason) {
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void deadLetter(Notification n, String reason) {
        log.warn("dead-lettering {} alert(s): {}", n.alerts().size(), reason);
        if (untilDone(() -> deadLetters.undeliverable(n, reason))) {
            metrics.deadLettered(name(), n.alerts().size());
            account(n, DeliveryProgress.Outcome.DEAD_LETTERED);
        }
    }

    /** Records the outcome (batched with other progress writes) and reports completion once the broker has it. */
    private void account(Notification n, DeliveryProgress.Outcome outcome) {
        if (n.repeat()) {
            completed.accept(n);
            return;
        }
        List<String> keys = n.accounted().stream().map(PendingAlert::key).toList();
        awaitingAck.incrementAndGet();
        progress.recordAsync(name(), keys, outcome).whenComplete((ok, error) -> {
            if (error == null) {
                completed.accept(n);
                awaitingAck.decrementAndGet();
                return;
            }
            log.error("receiver '{}': {}; retrying", name(), error.getMessage());
            try {
                accounting.execute(() -> {
                    if (untilDone(() -> progress.record(name(), keys, outcome))) {
                        completed.accept(n);
                    }
                    awaitingAck.decrementAndGet();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                awaitingAck.decrementAndGet();
            }
        });
    }

    /** Retries a Kafka write until it succeeds or the queue stops; false if it stopped first. */
    private boolean untilDone(Runnable write) {
        while (running) {
            try {
                write.run();
                return true;
            } catch (RuntimeException e) {
                log.error("receiver '{}': {}; retrying in {} s", name(), e.getMessage(), KAFKA_RETRY.toSeconds());
                try {
                    Thread.sleep(KAFKA_RETRY.toMillis()); // the queue's own accounting thread: nobody else waits on it
                } catch (InterruptedException ie) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Waits until everything offered is accounted for, up to {@code timeout}. */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (depth() == 0) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Stops at once: work in flight is abandoned unaccounted, so its records are replayed later. */
    @Override
    public void close() {
        running = false;
        accounting.shutdownNow();
        delivery.close();
    }
}
