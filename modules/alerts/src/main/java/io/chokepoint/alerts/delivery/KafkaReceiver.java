package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.events.avro.DisruptionAlert;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Each alert of a notification as a {@code DisruptionAlert} record (Avro via the schema registry,
 * key = HS code) on a topic for downstream services, with the transition key in an
 * {@code Idempotency-Key} header.
 */
public final class KafkaReceiver implements Receiver {

    private final String name;
    private final String topic;
    private final KafkaProducer<String, DisruptionAlert> producer;

    public KafkaReceiver(String name, String topic, Properties kafkaClient, Serializer<DisruptionAlert> serializer) {
        this.name = name;
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), serializer);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Notification notification) throws DeliveryFailure {
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (PendingAlert p : notification.alerts()) {
                ProducerRecord<String, DisruptionAlert> record = new ProducerRecord<>(topic, p.alert().getHsCode(), p.alert());
                record.headers().add(new RecordHeader(HttpSender.IDEMPOTENCY_KEY, p.key().getBytes(StandardCharsets.UTF_8)));
                sent.add(producer.send(record));
            }
            for (Future<?> f : sent) {
                f.get(40, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw DeliveryFailure.retryable("cannot produce to topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw DeliveryFailure.retryable("producing to topic '" + topic + "' took over 40 s", e);
        } catch (RuntimeException e) {
            throw DeliveryFailure.retryable("cannot produce to topic '" + topic + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted while producing to '" + topic + "'", false, null, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
