package io.chokepoint.alerts;

import io.chokepoint.alerts.delivery.DeadLetterPublisher;
import io.chokepoint.alerts.delivery.DeliveryProgress;
import io.chokepoint.alerts.delivery.FiringAlertLog;
import io.chokepoint.alerts.delivery.ConsoleReceiver;
import io.chokepoint.alerts.delivery.JsonLinesReceiver;
import io.chokepoint.alerts.delivery.KafkaReceiver;
import io.chokepoint.alerts.delivery.Notification;
import io.chokepoint.alerts.delivery.PayloadLinks;
import io.chokepoint.alerts.delivery.ReceiverQueue;
import io.chokepoint.alerts.delivery.ReliableDelivery;
import io.chokepoint.alerts.delivery.Receiver;
import io.chokepoint.alerts.delivery.SlackReceiver;
import io.chokepoint.alerts.delivery.WebhookReceiver;
import io.chokepoint.alerts.grouping.AlertGroups;
import io.chokepoint.alerts.grouping.DeliveryTicket;
import io.chokepoint.alerts.grouping.FiringAlert;
import io.chokepoint.alerts.grouping.GroupFlush;
import io.chokepoint.alerts.grouping.OffsetTracker;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.routing.Inhibitor;
import io.chokepoint.alerts.routing.NotificationMuting;
import io.chokepoint.alerts.routing.ReceiverSpec;
import io.chokepoint.alerts.routing.Route;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.silence.SilenceStore;
import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.config.ChokepointConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * The alert dispatcher: a member of a consumer group on {@code disruption-alerts}. Its consumer
 * thread owns routing, grouping, inhibition and offsets; each receiver has its own queue and
 * worker. An offset is committed only when every record below it has been delivered,
 * dead-lettered or muted for every matching receiver; per-receiver progress is written to a
 * compacted topic first, so a replay after a crash or rebalance skips receivers that already
 * have the alert.
 */
public final class AlertDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(60);
    /** Progress writes of concurrent deliveries share one request; a few ms on a notification nobody waits for. */
    private static final Duration PROGRESS_LINGER = Duration.ofMillis(5);

    private final AlertsSettings settings;
    private RoutingConfig routing;
    /** A validated routing tree waiting to replace {@link #routing} on the consumer thread. */
    private volatile RoutingConfig reloaded;
    private final ChokepointConfig config;
    private final PrintStream stdout;
    /** Queues of receivers a reload changed: they finish what they hold, then close with the dispatcher. */
    private final List<ReceiverQueue> retired = new ArrayList<>();
    private final Clock clock;
    private final AlertMetrics metrics;
    private final String sourceTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<DisruptionAlert> deserializer;
    private final DeliveryProgress progress;
    private final FiringAlertLog firingLog;
    /** Records whose firing state the broker has acknowledged, to be completed on the consumer thread. */
    private final ConcurrentLinkedQueue<DeliveryTicket> recorded = new ConcurrentLinkedQueue<>();
    private final DeadLetterPublisher deadLetters;
    private final Map<String, ReceiverQueue> queues = new LinkedHashMap<>();
    /** The current queue of each receiver, for the gauges, which are read on the metrics server's threads. */
    private final Map<String, ReceiverQueue> gauged = new ConcurrentHashMap<>();
    private final AlertGroups groups = new AlertGroups();
    private final Inhibitor inhibitor;
    private final NotificationMuting muting;
    private final OffsetTracker offsets = new OffsetTracker();
    private final ConcurrentLinkedQueue<Notification> completions = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    /** Starts the next attempt of every receiver's retries when its back-off is over; never waits on one. */
    private final ScheduledExecutorService backoff = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alerts-backoff");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile Throwable failure;
    private boolean paused;

    public AlertDispatcher(ChokepointConfig config, AlertsSettings settings, RoutingConfig routing, SilenceStore silences,
                           AlertMetrics metrics, Clock clock, PrintStream stdout) {
        this.settings = settings;
        this.routing = routing;
        this.config = config;
        this.stdout = stdout;
        this.clock = clock;
        this.metrics = metrics;
        Topics topics = config.topics();
        this.sourceTopic = topics.disruptionAlerts().name();
        this.deserializer = topics.disruptionAlerts().valueSerde().deserializer();
        Properties kafka = config.kafkaClientProperties();
        Topic<String, String> deliveries = topics.alertDeliveries();
        // an entry matters as long as the topic keeps it (alerts.deliveries.retention): memory forgets it then too
        CompactedTopicView progressView = CompactedTopicView.expiring(deliveries.name(), kafka, Duration.ofMillis(deliveries.retention().ms()),
                PROGRESS_LINGER, clock);
        this.progress = new DeliveryProgress(progressView);
        this.firingLog = new FiringAlertLog(progressView, topics.disruptionAlerts().valueSerde());
        this.deadLetters = new DeadLetterPublisher(topics.alertDeadLetters(), topics.deadLetters(), sourceTopic,
                settings.groupId(), topics.disruptionAlerts().valueSerde().serializer(), kafka, clock);
        this.inhibitor = new Inhibitor(routing.inhibitRules());
        this.muting = new NotificationMuting(silences::mutes, inhibitor, this::firingMutedBefore);

        openQueues(routing);

        Properties c = new Properties();
        c.putAll(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.startFrom());
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.loop = new Thread(this::run, "alerts-dispatcher");
    }

    /** Opens a queue for every receiver of {@code tree} that has none, or whose definition changed. */
    private void openQueues(RoutingConfig tree) {
        Map<String, ReliableDelivery> byName = new LinkedHashMap<>();
        queues.forEach((name, q) -> byName.put(name, q.delivery()));
        Set<String> changedNames = tree.receivers().values().stream()
                .filter(spec -> !queues.containsKey(spec.name()) || !spec.equals(routing.receivers().get(spec.name())))
                .map(ReceiverSpec::name).collect(Collectors.toSet());
        // a receiver whose fallback changed gets a new queue too, so that no current queue falls back on a retired delivery
        List<ReceiverSpec> changed = tree.receivers().values().stream()
                .filter(spec -> changedNames.contains(spec.name()) || spec.fallback().filter(changedNames::contains).isPresent())
                .sorted(java.util.Comparator.comparing(ReceiverSpec::name)).toList();
        for (ReceiverSpec spec : changed) {
            byName.put(spec.name(), new ReliableDelivery(receiver(spec, config, config.topics(), settings.links(), stdout), spec.retry(),
                    spec.breaker(), spec.concurrency(), metrics, backoff));
        }
        for (ReceiverSpec spec : changed) {
            Optional<ReliableDelivery> fallback = spec.fallback().map(byName::get);
            ReceiverQueue queue = new ReceiverQueue(byName.get(spec.name()), fallback, progress, deadLetters, metrics, clock, completions::add);
            ReceiverQueue old = queues.put(spec.name(), queue);
            if (old != null) {
                retired.add(old);
            } else {
                registerGauges(spec.name());
            }
            gauged.put(spec.name(), queue);
        }
    }

    /**
     * A receiver's gauges, registered once per name: they read whichever queue the receiver has now,
     * so a reload that replaces the queue (or adds a receiver) is reported, never the retired one.
     */
    private void registerGauges(String receiver) {
        Gauge.builder("chokepoint.alerts.queue.depth", gauged, m -> m.get(receiver).depth())
                .tag("receiver", receiver).description("Notifications waiting for a receiver").register(metrics.registry());
        Gauge.builder("chokepoint.alerts.circuit.open", gauged, m -> m.get(receiver).delivery().breakerState() == CircuitBreaker.State.OPEN ? 1 : 0)
                .tag("receiver", receiver).description("1 while the receiver's circuit breaker is open").register(metrics.registry());
    }

    /**
     * Closes the retired queues that have delivered everything they held (each has an HTTP client
     * with its threads), except those still serving as the fallback of a retired queue with work left.
     */
    private void closeDrainedRetired() {
        if (retired.isEmpty()) {
            return;
        }
        Set<ReliableDelivery> stillFallbacks = retired.stream().filter(q -> q.depth() > 0)
                .flatMap(q -> q.fallback().stream()).collect(Collectors.toSet());
        retired.removeIf(q -> {
            if (q.depth() > 0 || stillFallbacks.contains(q.delivery())) {
                return false;
            }
            q.close();
            log.info("receiver '{}': the queue of the previous routing file delivered everything it held and is closed", q.name());
            return true;
        });
    }

    /**
     * Replaces the routing tree (already validated) from the next poll on: new alerts are routed,
     * grouped and inhibited by it; receivers it adds or changes get new queues, while what the old
     * queues hold is still delivered. Groups already open keep the route that opened them.
     */
    public void reload(RoutingConfig tree) {
        reloaded = tree;
    }

    private void applyReload() {
        RoutingConfig tree = reloaded;
        if (tree == null) {
            return;
        }
        reloaded = null;
        openQueues(tree);
        inhibitor.replaceRules(tree.inhibitRules());
        routing = tree;
        log.info("routing reloaded: {} receivers, {} inhibit rules", tree.receivers().size(), tree.inhibitRules().size());
    }

    private static Receiver receiver(ReceiverSpec spec, ChokepointConfig config, Topics topics, PayloadLinks links, PrintStream stdout) {
        Clock clock = Clock.systemUTC();
        ReceiverSpec.Target target = spec.target();
        if (target instanceof ReceiverSpec.Webhook w) {
            return new WebhookReceiver(spec.name(), w, links, clock);
        }
        if (target instanceof ReceiverSpec.Slack s) {
            return new SlackReceiver(spec.name(), s, clock);
        }
        if (target instanceof ReceiverSpec.KafkaTopic k) {
            return new KafkaReceiver(spec.name(), k.topic(), config.kafkaClientProperties(),
                    topics.disruptionAlerts().valueSerde().serializer());
        }
        if (target instanceof ReceiverSpec.Console) {
            return new ConsoleReceiver(spec.name(), stdout);
        }
        ReceiverSpec.JsonLines j = (ReceiverSpec.JsonLines) target;
        return j.stdout() ? JsonLinesReceiver.stdout(spec.name(), stdout, links)
                : JsonLinesReceiver.file(spec.name(), Path.of(j.path()), j.fsync(), links);
    }

    /** Reads the delivery progress to its end, then joins the consumer group on its own thread. */
    public AlertDispatcher start() {
        progress.start(VIEW_TIMEOUT);
        loop.start();
        return this;
    }

    public boolean ready() {
        return ready && failure == null;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(sourceTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    processCompletions();
                    commit(partitions);
                    forget(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // what other instances delivered before they lost these partitions must be known first
                    progress.awaitCaughtUp(VIEW_TIMEOUT);
                    restoreFiring(partitions);
                    ready = true;
                    log.info("assigned {}", partitions);
                }
            });
            long nextCommit = clock.millis() + settings.commitInterval().toMillis();
            while (running) {
                applyReload();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                long now = clock.millis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    intake(r, now);
                }
                flushDue(clock.millis());
                processCompletions();
                closeDrainedRetired();
                applyBackPressure();
                if (clock.millis() >= nextCommit) {
                    commitAsync();
                    nextCommit = clock.millis() + settings.commitInterval().toMillis();
                }
            }
            drainAndCommit();
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
            log.error("alert dispatcher stopped: {}", e.getMessage(), e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void intake(ConsumerRecord<byte[], byte[]> r, long now) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        DeliveryTicket ticket = offsets.register(tp, r.offset(), r.timestamp());
        DisruptionAlert alert;
        try {
            alert = deserializer.deserialize(r.topic(), r.headers(), r.value());
            if (alert == null) {
                throw new IllegalArgumentException("null value (tombstone) on the alerts topic");
            }
        } catch (RuntimeException e) {
            log.warn("unreadable alert at {}-{}@{}: {}; sent to the dead-letter topic", r.topic(), r.partition(), r.offset(), e.getMessage());
            deadLetters.unreadable(r.topic(), r.partition(), r.offset(), r.key(), r.value(), e);
            ticket.seal();
            offsets.update(ticket);
            return;
        }
        Map<String, String> labels = AlertLabels.of(alert);
        inhibitor.observe(alert, labels);
        String key = AlertLabels.transitionKey(alert);
        Set<String> assigned = new HashSet<>();
        for (Route route : routing.root().match(labels)) {
            Set<String> receivers = new LinkedHashSet<>();
            for (String receiver : route.receivers()) {
                // one delivery per receiver even when several routes name it; skip receivers that had it before a restart
                if (assigned.add(receiver) && !progress.finished(receiver, key)) {
                    receivers.add(receiver);
                }
            }
            if (!receivers.isEmpty()) {
                // one more: the alert's firing state, recorded when its group is flushed
                ticket.expect(receivers.size() + 1);
                groups.add(route, new PendingAlert(alert, labels, Set.copyOf(receivers), ticket), now);
            }
        }
        ticket.seal();
        offsets.update(ticket);
    }

    /**
     * The alerts of newly assigned partitions that are still firing, as their previous owner
     * recorded them: back in their groups (and in the inhibitor) with their reminder clocks.
     */
    private void restoreFiring(Collection<TopicPartition> partitions) {
        int restored = 0;
        for (FiringAlertLog.Recorded r : firingLog.firingIn(partitions)) {
            Map<String, String> labels = AlertLabels.of(r.alert());
            inhibitor.observe(r.alert(), labels);
            for (Route route : routing.root().match(labels)) {
                PendingAlert firing = new PendingAlert(r.alert(), labels, Set.copyOf(route.receivers()), null);
                groups.restore(route, new FiringAlert(firing, r.partition()), r.notifiedAt());
            }
            restored++;
        }
        if (restored > 0) {
            log.info("{} alerts still firing restored with their reminders", restored);
        }
    }

    /**
     * Records what a flush changes in the firing alerts (their group was notified; resolved ones
     * are gone) before the records' offsets can be committed: each record's ticket waits for it.
     */
    private void recordFiring(GroupFlush flush) {
        List<DeliveryTicket> waiting = new ArrayList<>();
        List<String> resolved = new ArrayList<>();
        for (PendingAlert p : flush.alerts()) {
            if (p.ticket() != null) {
                waiting.add(p.ticket());
                if (p.alert().getState() == AlertState.RESOLVED) {
                    resolved.add(p.alert().getAlertId());
                }
            }
        }
        firingLog.notified(flush.firing(), flush.at(), resolved).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("could not record which alerts are firing ({}); their reminders may not survive a restart", error.getMessage());
            }
            recorded.addAll(waiting);
        });
    }

    private void flushDue(long now) {
        for (GroupFlush flush : groups.due(now)) {
            recordFiring(flush);
            for (String receiver : flush.route().receivers()) {
                List<PendingAlert> send = new ArrayList<>();
                Map<NotificationMuting.Reason, List<PendingAlert>> mutedFirings = new EnumMap<>(NotificationMuting.Reason.class);
                List<PendingAlert> mutedResolves = new ArrayList<>();
                for (PendingAlert p : flush.alerts()) {
                    if (!p.receivers().contains(receiver)) {
                        continue;
                    }
                    DisruptionAlert a = p.alert();
                    Optional<NotificationMuting.Reason> reason = muting.decide(receiver, a.getAlertId(), a.getState(), p.labels(), flush.repeat());
                    if (reason.isEmpty()) {
                        send.add(p);
                        continue;
                    }
                    metrics.muted(reason.get().label());
                    if (p.ticket() == null) {
                        continue; // a muted reminder: no record waits for it
                    }
                    if (a.getState() == AlertState.FIRING) {
                        mutedFirings.computeIfAbsent(reason.get(), r -> new ArrayList<>()).add(p);
                    } else {
                        mutedResolves.add(p);
                    }
                }
                // recorded before the offsets move, so a restart neither sends the FIRING late nor its RESOLVED
                mutedFirings.forEach((reason, muted) -> progress.record(receiver, muted.stream().map(PendingAlert::key).toList(),
                        reason == NotificationMuting.Reason.SILENCED ? DeliveryProgress.Outcome.SILENCED : DeliveryProgress.Outcome.INHIBITED));
                mutedFirings.values().forEach(this::completeMuted);
                completeMuted(mutedResolves);
                if (!send.isEmpty()) {
                    queues.get(receiver).offer(Notification.latestStates(receiver, flush.groupKey(), flush.groupLabels(), send, flush.repeat(), now));
                }
            }
        }
    }

    private void completeMuted(List<PendingAlert> muted) {
        for (PendingAlert p : muted) {
            p.ticket().completeOne();
            offsets.update(p.ticket());
        }
    }

    /** What an earlier run recorded about a FIRING it muted for this receiver. */
    private Optional<NotificationMuting.Reason> firingMutedBefore(String receiver, String alertId) {
        return progress.outcome(receiver, alertId + ":firing").flatMap(o -> switch (o) {
            case SILENCED -> Optional.of(NotificationMuting.Reason.SILENCED);
            case INHIBITED -> Optional.of(NotificationMuting.Reason.INHIBITED);
            default -> Optional.empty();
        });
    }

    private void processCompletions() {
        DeliveryTicket t;
        while ((t = recorded.poll()) != null) {
            if (!t.abandoned()) {
                t.completeOne();
                offsets.update(t);
            }
        }
        Notification n;
        while ((n = completions.poll()) != null) {
            for (PendingAlert p : n.accounted()) {
                if (p.ticket() != null && !p.ticket().abandoned()) {
                    p.ticket().completeOne();
                    offsets.update(p.ticket());
                }
            }
        }
    }

    private void applyBackPressure() {
        int open = offsets.openRecords();
        if (!paused && open >= settings.maxInFlight()) {
            consumer.pause(consumer.assignment());
            paused = true;
            log.warn("{} alerts await delivery; pausing consumption until receivers catch up", open);
        } else if (paused && open < settings.maxInFlight() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void commit(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> committable = offsets.committable();
        if (only != null) {
            committable.keySet().retainAll(only);
        }
        if (committable.isEmpty()) {
            return;
        }
        consumer.commitSync(committable);
        offsets.markCommitted(committable);
    }

    /** Periodic commit without blocking the loop; a failed one is simply superseded by the next. */
    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> committable = offsets.committable();
        if (committable.isEmpty()) {
            return;
        }
        consumer.commitAsync(committable, (committed, error) -> {
            if (error == null) {
                offsets.markCommitted(committed);
            } else {
                log.debug("offset commit failed ({}); the next one retries", error.getMessage());
            }
        });
    }

    private void forget(Collection<TopicPartition> partitions) {
        groups.dropPartitions(partitions);
        offsets.drop(partitions);
    }

    /** Graceful stop: give the receivers a bounded time to finish, then commit what is accounted for. */
    private void drainAndCommit() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        List<ReceiverQueue> all = new ArrayList<>(retired);
        all.addAll(queues.values());
        for (ReceiverQueue q : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            q.drain(Duration.ofNanos(left));
        }
        processCompletions();
        try {
            commit(null);
        } catch (RuntimeException e) {
            log.warn("final commit failed ({}); uncommitted alerts will be replayed and deduplicated", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (loop.isAlive()) {
            try {
                loop.join(settings.shutdownTimeout().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queues.values().forEach(ReceiverQueue::close);
        retired.forEach(ReceiverQueue::close);
        backoff.shutdownNow();
        deadLetters.close();
        firingLog.close();
        progress.close();
    }
}
