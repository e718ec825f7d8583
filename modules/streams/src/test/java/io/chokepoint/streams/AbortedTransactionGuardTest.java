package io.chokepoint.streams;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AbortedTransactionGuardTest {

    private final MockProducer<byte[], byte[]> kafka = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final Producer<byte[], byte[]> producer = new AbortedTransactionGuard.FencedAfterAbort(kafka, "chokepoint-streams-1-0");

    @Test
    @SuppressWarnings("removal") // a group's metadata comes from a consumer; a MockProducer test has none to ask
    void committedTransactionsFollowEachOther() {
        producer.initTransactions();
        for (int i = 0; i < 3; i++) {
            producer.beginTransaction();
            producer.send(record("final " + i));
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition("shipment-milestones", 0), new OffsetAndMetadata(i + 1)),
                    new ConsumerGroupMetadata("chokepoint-streams"));
            producer.commitTransaction();
        }
        assertThat(kafka.history()).hasSize(3);
    }

    @Test
    void theTransactionAfterAnAbortIsRefusedAsFencedSoStreamsRestartsTheThreadsTasks() {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(record("final of a healthy task"));
        producer.abortTransaction(); // what closing a corrupted task dirty does to the thread's shared transaction

        assertThat(kafka.transactionAborted()).isTrue();
        assertThat(kafka.history()).as("the aborted output is gone").isEmpty();
        // Kafka Streams turns a fenced beginTransaction into TaskMigratedException: all tasks closed, producer replaced
        assertThatThrownBy(producer::beginTransaction).isInstanceOf(ProducerFencedException.class)
                .hasMessageContaining("chokepoint-streams-1-0");
        assertThatThrownBy(producer::beginTransaction).as("until the producer is replaced").isInstanceOf(ProducerFencedException.class);
        assertThat(kafka.transactionInFlight()).isFalse();
    }

    @Test
    void aReplacedProducerStartsClean() {
        AbortedTransactionGuard guard = new AbortedTransactionGuard();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "chokepoint-streams-1-0");
        try (Producer<byte[], byte[]> first = guard.getProducer(config)) {
            assertThat(first).isInstanceOf(AbortedTransactionGuard.FencedAfterAbort.class);
        }
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        try (Producer<byte[], byte[]> plain = guard.getProducer(config)) {
            assertThat(plain).as("without transactions there is nothing to guard").isNotInstanceOf(AbortedTransactionGuard.FencedAfterAbort.class);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String value) {
        return new ProducerRecord<>("commodity-delay-stats", "300420".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
