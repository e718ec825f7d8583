package io.chokepoint.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Kafka Streams' clients, with one change: once a stream thread's transaction is aborted, its
 * producer refuses the next transaction as fenced, so Kafka Streams closes every task of the
 * thread and resumes them from their last commit.
 *
 * <p>Why: under exactly-once v2 all tasks of a thread share one transaction. When a task's state is
 * found corrupted (a task directory left without a checkpoint, e.g. by a killed instance, or
 * handed back after a scale-out), Kafka Streams (4.4) first commits the healthy tasks, then closes
 * the corrupted one dirty, which aborts the shared transaction. During a rebalance it skips that
 * commit ({@code TaskManager.handleCorruption} → {@code commitTasksAndMaybeUpdateCommittableOffsets}
 * returns -1), so the abort discards the healthy tasks' output too — finals, dead letters — while
 * they run on and commit their input offsets in the next transaction: output lost. The fail-over
 * test lost 83 finals and, in another run, 18 dead letters this way (docs/RELIABILITY.md). A fenced
 * producer is the one failure after which Kafka Streams restarts all of a thread's tasks from what
 * was committed and replaces the producer, so the lost output is written again.
 *
 * <p>A transaction is only aborted when something was closed dirty, so this costs a restore of the
 * thread's tasks after such an event and nothing otherwise.
 */
public final class AbortedTransactionGuard implements KafkaClientSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(AbortedTransactionGuard.class);

    private final KafkaClientSupplier clients = new DefaultKafkaClientSupplier();

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return clients.getAdmin(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        Producer<byte[], byte[]> producer = clients.getProducer(config);
        Object transactionalId = config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return transactionalId == null ? producer : new FencedAfterAbort(producer, transactionalId.toString());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return clients.getConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return clients.getRestoreConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return clients.getGlobalConsumer(config);
    }

    /** A transactional producer that, after an abort, answers the next {@code beginTransaction} as fenced. */
    static final class FencedAfterAbort implements Producer<byte[], byte[]> {

        private final Producer<byte[], byte[]> producer;
        private final String transactionalId;
        private volatile boolean aborted;
        private volatile boolean refusing;

        FencedAfterAbort(Producer<byte[], byte[]> producer, String transactionalId) {
            this.producer = producer;
            this.transactionalId = transactionalId;
        }

        @Override
        public void abortTransaction() {
            // before the call: if the abort times out, the broker still aborts the transaction later
            aborted = true;
            producer.abortTransaction();
        }

        @Override
        public void beginTransaction() {
            if (aborted) {
                if (!refusing) {
                    refusing = true; // the thread's dirty close flushes every task: one line per producer, not per task
                    LOG.warn("producer {}: a transaction of this stream thread was aborted; refusing further transactions so that"
                            + " Kafka Streams closes all of the thread's tasks and resumes them from their last commit, and"
                            + " nothing the aborted transaction carried is lost", transactionalId);
                }
                throw new ProducerFencedException("a transaction of " + transactionalId
                        + " was aborted: the thread's tasks resume from their last commit");
            }
            producer.beginTransaction();
        }

        @Override
        public void initTransactions() {
            producer.initTransactions();
        }

        @Override
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
            producer.sendOffsetsToTransaction(offsets, groupMetadata);
        }

        @Override
        public void commitTransaction() {
            producer.commitTransaction();
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            return producer.send(record);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            return producer.send(record, callback);
        }

        @Override
        public void flush() {
            producer.flush();
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            return producer.partitionsFor(topic);
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            return producer.metrics();
        }

        @Override
        public void registerMetricForSubscription(KafkaMetric metric) {
            producer.registerMetricForSubscription(metric);
        }

        @Override
        public void unregisterMetricFromSubscription(KafkaMetric metric) {
            producer.unregisterMetricFromSubscription(metric);
        }

        @Override
        public Uuid clientInstanceId(Duration timeout) {
            return producer.clientInstanceId(timeout);
        }

        @Override
        public void close() {
            producer.close();
        }

        @Override
        public void close(Duration timeout) {
            producer.close(timeout);
        }
    }
}
