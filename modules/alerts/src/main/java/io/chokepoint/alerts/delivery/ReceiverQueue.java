package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.AlertMetrics;
import io.chokepoint.alerts.grouping.PendingAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One receiver's own queue and worker thread, so a receiver that is down or slow delays only
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
    private final BlockingQueue<Notification> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean busy;

    public ReceiverQueue(ReliableDelivery delivery, Optional<ReliableDelivery> fallback, DeliveryProgress progress,
                         DeadLetterPublisher deadLetters, AlertMetrics metrics, Clock clock, Consumer<Notification> completed) {
        this.delivery = delivery;
        this.fallback = fallback;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.completed = completed;
        this.worker = new Thread(this::work, "receiver-" + delivery.name());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public String name() {
        return delivery.name();
    }

    public void offer(Notification n) {
        queue.add(n);
    }

    public int depth() {
        return queue.size() + (busy ? 1 : 0);
    }

    public ReliableDelivery delivery() {
        return delivery;
    }

    private void work() {
        while (running) {
            Notification n;
            try {
                n = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n == null) {
                continue;
            }
            busy = true;
            try {
                handle(n);
            } finally {
                busy = false;
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
        if (!n.repeat()) {
            DeliveryProgress.Outcome finalOutcome = outcome;
            if (!untilDone(() -> progress.record(name(), n.alerts().stream().map(PendingAlert::key).toList(), finalOutcome, end))) {
                return;
            }
        }
        completed.accept(n);
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
            if (queue.isEmpty() && !busy) {
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
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
    }
}
