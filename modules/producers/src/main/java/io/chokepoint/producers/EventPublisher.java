package io.chokepoint.producers;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one publishing path for Chokepoint's input facts, shared by the importers, the simulator and
 * any service: an idempotent producer ({@code acks=all}, {@code enable.idempotence=true}), records
 * keyed by HS code so every input topic is co-partitioned, and the record timestamp set to the
 * event time so windows downstream follow the story, not the clock of the import.
 *
 * <p>Values are serialized here with the topic's registry serde (from the {@link Topics} catalogue)
 * and sent as bytes, so one producer serves every topic.
 *
 * <p>Sends are asynchronous. The first failure is kept and rethrown by the next call (and by
 * {@link #flush()}), so a caller never reports records as published that Kafka did not take.
 */
public final class EventPublisher implements AutoCloseable {

    /** Idempotent sends, or all sends between begin and commit in one Kafka transaction. */
    public enum Mode { IDEMPOTENT, TRANSACTIONAL }

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final Mode mode;
    private final Map<String, Serializer<Object>> serializers = new HashMap<>();
    private final Serializer<String> keySerializer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private EventPublisher(KafkaProducer<byte[], byte[]> producer, Topics topics, Mode mode) {
        this.producer = producer;
        this.topics = topics;
        this.mode = mode;
        this.keySerializer = topics.exportLicenses().keySerde().serializer();
        if (mode == Mode.TRANSACTIONAL) {
            producer.initTransactions();
        }
    }

    public static EventPublisher create(ChokepointConfig config, Mode mode) {
        return new EventPublisher(new KafkaProducer<>(producerProperties(config, mode)), config.topics(), mode);
    }

    /** The producer settings: the user's {@code kafka.*} passthrough, with the guarantees we rely on forced. */
    static Properties producerProperties(ChokepointConfig config, Mode mode) {
        Properties props = config.kafkaClientProperties();
        // throughput defaults a user may override
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "chokepoint-producer-" + UUID.randomUUID().toString().substring(0, 8));
        // guarantees a user may not weaken: re-imports and retries must never create duplicates
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (mode == Mode.TRANSACTIONAL) {
            props.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "chokepoint-import-" + UUID.randomUUID());
            // one file is one transaction; give big files the broker's default maximum (15 min)
            props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(15 * 60 * 1000));
        }
        return props;
    }

    public Topics topics() {
        return topics;
    }

    public void publish(ExportLicenseDecision decision) {
        publish(topics.exportLicenses(), decision.getHsCode(), decision, decision.getDecidedAt().toEpochMilli());
    }

    /** Event time of a tariff change is its announcement: that is when markets and shippers react. */
    public void publish(TariffChange change) {
        publish(topics.tariffChanges(), change.getHsCode(), change, change.getAnnouncedAt().toEpochMilli());
    }

    public void publish(ShipmentMilestone milestone) {
        publish(topics.shipmentMilestones(), milestone.getHsCode(), milestone, milestone.getActualAt().toEpochMilli());
    }

    /** Sends one event keyed by {@code hsCode} with the record timestamp {@code eventTimeMs}. */
    @SuppressWarnings("unchecked")
    public <V> void publish(Topic<String, V> topic, String hsCode, V value, long eventTimeMs) {
        rethrowFailure();
        Serializer<Object> valueSerializer = serializers.computeIfAbsent(topic.name(),
                name -> (Serializer<Object>) topic.valueSerde().serializer());
        byte[] key = keySerializer.serialize(topic.name(), hsCode);
        byte[] bytes = valueSerializer.serialize(topic.name(), value);
        send(new ProducerRecord<>(topic.name(), null, eventTimeMs, key, bytes));
    }

    /** Sends already serialized bytes; the benchmark's raw baseline and callers with their own serde. */
    public void publishRaw(String topic, byte[] key, byte[] value, long timestampMs) {
        rethrowFailure();
        send(new ProducerRecord<>(topic, null, timestampMs, key, value));
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failure.compareAndSet(null, exception);
                }
            });
        } catch (KafkaException e) {
            // after a refused record the producer is in an error state and every send says only that: name the refusal
            Throwable cause = e.getCause() instanceof KafkaException refusal ? refusal : e;
            throw new PublishException("cannot send to topic '" + record.topic() + "': " + cause.getMessage(), e);
        }
    }

    public void beginTransaction() {
        requireTransactional();
        producer.beginTransaction();
    }

    /** Commits everything sent since {@link #beginTransaction()}; throws if any send failed (then abort). */
    public void commitTransaction() {
        requireTransactional();
        flush();
        try {
            producer.commitTransaction();
        } catch (KafkaException e) {
            throw new PublishException("cannot commit the transaction: " + e.getMessage(), e);
        }
    }

    public void abortTransaction() {
        requireTransactional();
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            throw new PublishException("cannot abort the transaction: " + e.getMessage(), e);
        }
    }

    /** Waits until every sent record is acknowledged; throws when any of them failed. */
    public void flush() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw new PublishException("flushing to Kafka failed: " + e.getMessage(), e);
        }
        rethrowFailure();
    }

    /** Records Kafka has acknowledged so far (in a transaction: written, not yet committed). */
    public long acknowledged() {
        return acknowledged.get();
    }

    private void rethrowFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw new PublishException("Kafka rejected a record: " + e.getMessage(), e);
        }
    }

    private void requireTransactional() {
        if (mode != Mode.TRANSACTIONAL) {
            throw new IllegalStateException("transactions need an EventPublisher created in Mode.TRANSACTIONAL");
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
        serializers.values().forEach(Serializer::close);
    }
}
