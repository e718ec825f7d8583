package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertMetrics;
import io.chokepoint.alerts.grouping.PendingAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One receiver's own queue and worker threads, so a receiver that is down or slow delays only
 * itself. For each notification: deliver with retries; after the last attempt try the fallback
 * receiver; if that fails too, dead-letter the alerts. Then record the outcome in the delivery
 * progress topic and only then report completion, which lets the dispatcher commit the offset.
 * If Kafka itself cannot take the progress or dead letter, the worker keeps trying: nothing is
 * reported complete that is not durably accounted for.
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
    private final List<BlockingQueue<Notification>> lanes = new java.util.ArrayList<>();
    private final List<Thread> workers = new java.util.ArrayList<>();
    private final java.util.concurrent.ExecutorService retries = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "progress-retry");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger awaitingAck = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param concurrency notifications in flight at once; each group always uses the same lane, so
     *                    the notifications of one group (FIRING, later RESOLVED) stay in order
     */
    public ReceiverQueue(ReliableDelivery delivery, int concurrency, Optional<ReliableDelivery> fallback, DeliveryProgress progress,
                         DeadLetterPublisher deadLetters, AlertMetrics metrics, Clock clock, Consumer<Notification> completed) {
        this.delivery = delivery;
        this.fallback = fallback;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.completed = completed;
        for (int i = 0; i < concurrency; i++) {
            BlockingQueue<Notification> lane = new LinkedBlockingQueue<>();
            lanes.add(lane);
            Thread worker = new Thread(() -> work(lane), "receiver-" + delivery.name() + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    public String name() {
        return delivery.name();
    }

    public void offer(Notification n) {
        lanes.get(Math.floorMod(n.groupKey().hashCode(), lanes.size())).add(n);
    }

    public int depth() {
        return lanes.stream().mapToInt(BlockingQueue::size).sum() + busy.get() + awaitingAck.get();
    }

    public ReliableDelivery delivery() {
        return delivery;
    }

    private void work(BlockingQueue<Notification> lane) {
        while (running) {
            Notification n;
            try {
                n = lane.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n == null) {
                continue;
            }
            busy.incrementAndGet();
            try {
                handle(n);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private void handle(Notification n) {
        Instant start = clock.instant();
        DeliveryProgress.Outcome outcome;
        String failure = null;
        try {
            delivery.deliver(n);
            outcome = DeliveryProgress.Outcome.DELIVERED;
        } catch (DeliveryFailure primary) {
            if (!running) {
                return; // stopping: not accounted for, so not completed; the record is replayed
            }
            failure = primary.getMessage();
            outcome = DeliveryProgress.Outcome.DEAD_LETTERED;
            if (fallback.isPresent()) {
                try {
                    fallback.get().deliver(Notification.of(fallback.get().name(), n.groupKey(), n.groupLabels(), n.alerts(),
                            n.repeat(), n.createdAt()));
                    outcome = DeliveryProgress.Outcome.DELIVERED_BY_FALLBACK;
                    metrics.fallback(name());
                    log.warn("{}; delivered by fallback receiver '{}'", failure, fallback.get().name());
                } catch (DeliveryFailure second) {
                    failure = failure + "; fallback " + second.getMessage();
                }
            }
        }
        if (!running) {
            return;
        }
        Instant end = clock.instant();
        if (outcome == DeliveryProgress.Outcome.DEAD_LETTERED) {
            String reason = failure;
            log.warn("dead-lettering {} alert(s): {}", n.alerts().size(), reason);
            if (!untilDone(() -> deadLetters.undeliverable(n, reason))) {
                return;
            }
            metrics.deadLettered(name(), n.alerts().size());
        } else if (outcome == DeliveryProgress.Outcome.DELIVERED) {
            Duration sinceRecord = n.alerts().stream().filter(p -> p.ticket() != null)
                    .map(p -> Duration.ofMillis(end.toEpochMilli() - p.ticket().recordTimestamp()))
                    .max(Duration::compareTo).orElse(null);
            metrics.delivered(name(), Duration.between(start, end), sinceRecord);
        }
        if (n.repeat()) {
            completed.accept(n);
            return;
        }
        // the progress write is acknowledged asynchronously so the next notification need not wait for the broker
        List<String> keys = n.alerts().stream().map(PendingAlert::key).toList();
        DeliveryProgress.Outcome finalOutcome = outcome;
        awaitingAck.incrementAndGet();
        progress.recordAsync(name(), keys, finalOutcome, end).whenComplete((ok, error) -> {
            if (error == null) {
                completed.accept(n);
                awaitingAck.decrementAndGet();
            } else {
                log.error("receiver '{}': {}; retrying", name(), error.getMessage());
                retries.execute(() -> {
                    if (untilDone(() -> progress.record(name(), keys, finalOutcome, end))) {
                        completed.accept(n);
                    }
                    awaitingAck.decrementAndGet();
                });
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
                    Thread.sleep(KAFKA_RETRY.toMillis());
                } catch (InterruptedException ie) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Waits until the queue is empty and the worker idle, up to {@code timeout}. */
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
        workers.forEach(Thread::interrupt);
        retries.shutdownNow();
        try {
            for (Thread worker : workers) {
                worker.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
    }
}
