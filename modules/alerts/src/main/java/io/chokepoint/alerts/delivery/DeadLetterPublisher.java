package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.events.Topic;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.FailureStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes what could not be delivered (stage DELIVERY, one DeadLetter per alert with the reason
 * and the source record's coordinates) to {@code alerts-dlq}, and unreadable alert records
 * (stage DESERIALIZATION, raw bytes kept) to {@code chokepoint-dlq}. Synchronous: the offset is
 * committed only after the dead letter is safely written.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private final Topic<String, DeadLetter> alertDeadLetters;
    private final Topic<byte[], DeadLetter> deadLetters;
    private final String sourceTopic;
    private final String groupId;
    private final Serializer<DisruptionAlert> alertSerializer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;

    public DeadLetterPublisher(Topic<String, DeadLetter> alertDeadLetters, Topic<byte[], DeadLetter> deadLetters,
                               String sourceTopic, String groupId, Serializer<DisruptionAlert> alertSerializer,
                               Properties kafkaClient, Clock clock) {
        this.alertDeadLetters = alertDeadLetters;
        this.deadLetters = deadLetters;
        this.sourceTopic = sourceTopic;
        this.groupId = groupId;
        this.alertSerializer = alertSerializer;
        this.clock = clock;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void undeliverable(Notification n, String reason) {
        List<Future<?>> sent = new ArrayList<>();
        for (PendingAlert p : n.alerts()) {
            DisruptionAlert a = p.alert();
            DeadLetter dl = DeadLetter.newBuilder()
                    .setStage(FailureStage.DELIVERY)
                    .setCause(reason)
                    .setSourceTopic(sourceTopic)
                    .setSourcePartition(p.ticket() == null ? null : p.ticket().partition().partition())
                    .setSourceOffset(p.ticket() == null ? null : p.ticket().offset())
                    .setApplicationId(groupId)
                    .setProcessorNode("receiver:" + n.receiver())
                    .setFailedAt(clock.instant())
                    .setKey(ByteBuffer.wrap(a.getHsCode().getBytes(StandardCharsets.UTF_8)))
                    .setValue(ByteBuffer.wrap(alertSerializer.serialize(sourceTopic, a)))
                    .build();
            byte[] value = alertDeadLetters.valueSerde().serializer().serialize(alertDeadLetters.name(), dl);
            sent.add(producer.send(new ProducerRecord<>(alertDeadLetters.name(), a.getHsCode().getBytes(StandardCharsets.UTF_8), value)));
        }
        await(sent, alertDeadLetters.name());
    }

    public void unreadable(String topic, int partition, long offset, byte[] key, byte[] value, Exception cause) {
        DeadLetter dl = DeadLetter.newBuilder()
                .setStage(FailureStage.DESERIALIZATION)
                .setCause(cause.getClass().getName() + ": " + cause.getMessage())
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setApplicationId(groupId)
                .setProcessorNode("alerts-dispatcher")
                .setFailedAt(clock.instant())
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .build();
        byte[] bytes = deadLetters.valueSerde().serializer().serialize(deadLetters.name(), dl);
        await(List.of(producer.send(new ProducerRecord<>(deadLetters.name(), key, bytes))), deadLetters.name());
    }

    private static void await(List<Future<?>> sent, String topic) {
        try {
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to dead-letter topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("writing to dead-letter topic '" + topic + "' took over 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to '" + topic + "'");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
