package io.chokepoint.dashboard;

import io.chokepoint.dashboard.stream.EventStream;
import io.chokepoint.dashboard.view.AlertBoard;
import io.chokepoint.dashboard.view.PolicyTimeline;
import io.chokepoint.dashboard.view.Views;
import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.config.ChokepointConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The dashboard's own reader of the output and policy topics, every partition of them (each
 * instance serves the feed to its own clients): live stats updates go straight to the
 * {@link EventStream}; alert transitions and policy events also update the {@link AlertBoard}
 * and {@link PolicyTimeline} (read from the start, so they are complete after a restart).
 *
 * <p>It runs on its own thread with its own consumer, so nothing it does — nor any HTTP client —
 * can slow the stream threads.
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, CommodityDelayStats> live;
    private final Topics topics;
    private final EventStream stream;
    private final AlertBoard alerts;
    private final PolicyTimeline policy;
    private final Deserializer<CommodityDelayStats> statsReader;
    private final Deserializer<DisruptionAlert> alertReader;
    private final Deserializer<TariffChange> tariffReader;
    private final Deserializer<ExportLicenseDecision> licenceReader;
    private final Counter statsUpdates;
    private final Counter alertsFired;
    private final Counter unreadable;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    public LiveFeed(ChokepointConfig config, Topic<String, CommodityDelayStats> live, EventStream stream,
                    AlertBoard alerts, PolicyTimeline policy, MeterRegistry registry) {
        this.topics = config.topics();
        this.live = live;
        this.stream = stream;
        this.alerts = alerts;
        this.policy = policy;
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chokepoint-dashboard-feed-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.statsReader = live.valueSerde().deserializer();
        this.alertReader = topics.disruptionAlerts().valueSerde().deserializer();
        this.tariffReader = topics.tariffChanges().valueSerde().deserializer();
        this.licenceReader = topics.exportLicenses().valueSerde().deserializer();
        this.statsUpdates = Counter.builder("chokepoint.dashboard.stats.updates").description("Live stats updates read for the feed").register(registry);
        this.alertsFired = Counter.builder("chokepoint.alerts.fired").description("FIRING transitions read from the alerts topic").register(registry);
        this.unreadable = Counter.builder("chokepoint.dashboard.unreadable.records").description("Records the feed could not decode (left in their topic)").register(registry);
        this.thread = new Thread(this::run, "chokepoint-dashboard-feed");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** True once the alert and policy history was read up to where it stood at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> liveParts = partitions(live.name());
            List<TopicPartition> history = new ArrayList<>();
            history.addAll(partitions(topics.disruptionAlerts().name()));
            history.addAll(partitions(topics.tariffChanges().name()));
            history.addAll(partitions(topics.exportLicenses().name()));
            List<TopicPartition> all = new ArrayList<>(liveParts);
            all.addAll(history);
            consumer.assign(all);
            consumer.seekToEnd(liveParts);
            consumer.seekToBeginning(history);
            java.util.Map<TopicPartition, Long> ends = consumer.endOffsets(history);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    handle(r);
                }
                if (!caughtUp && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.info("dashboard feed caught up: {} alert(s) firing", alerts.firing(java.time.Instant.EPOCH).size());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("dashboard feed stopped: {}; the API still answers, the live feed does not", e.toString(), e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** The topic's partitions, waiting for the topic to exist (streams may create its outputs later). */
    private List<TopicPartition> partitions(String topic) {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            LOG.info("dashboard feed: topic {} does not exist yet; waiting for it", topic);
            sleep(Duration.ofSeconds(2));
        }
        return List.of();
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        try {
            String topic = r.topic();
            if (topic.equals(live.name())) {
                CommodityDelayStats stats = decode(statsReader, r);
                statsUpdates.increment();
                stream.publish("stats", Views.stats(stats).toString());
            } else if (topic.equals(topics.disruptionAlerts().name())) {
                DisruptionAlert alert = decode(alertReader, r);
                if (alerts.apply(alert)) {
                    if (alert.getState() == AlertState.FIRING) {
                        alertsFired.increment();
                    }
                    stream.publish("alert", Views.alert(alert).toString());
                }
            } else if (topic.equals(topics.tariffChanges().name())) {
                TariffChange t = decode(tariffReader, r);
                PolicyTimeline.PolicyEvent e = new PolicyTimeline.PolicyEvent(t.getHsCode(), t.getAnnouncedAt(), Views.tariff(t));
                if (policy.add(e)) {
                    stream.publish("policy", e.json().toString());
                }
            } else if (topic.equals(topics.exportLicenses().name())) {
                ExportLicenseDecision l = decode(licenceReader, r);
                PolicyTimeline.PolicyEvent e = new PolicyTimeline.PolicyEvent(l.getHsCode(), l.getDecidedAt(), Views.licence(l));
                if (policy.add(e)) {
                    stream.publish("policy", e.json().toString());
                }
            }
        } catch (RuntimeException e) {
            unreadable.increment();
            LOG.warn("dashboard feed skipped {}-{}@{}: {} (the record stays in its topic; the dead-letter topic has it if streams rejected it too)",
                    r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private static <V> V decode(Deserializer<V> deserializer, ConsumerRecord<byte[], byte[]> r) {
        V value = deserializer.deserialize(r.topic(), r.headers(), r.value());
        if (value == null) {
            throw new IllegalArgumentException("empty value");
        }
        return value;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
