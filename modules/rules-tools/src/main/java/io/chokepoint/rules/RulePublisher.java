package io.chokepoint.rules;

import io.chokepoint.events.Topic;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleDocument;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

/**
 * Publishes validated rules to the compacted {@code alert-rules} topic (key = rule id, value = the
 * rule as canonical JSON), or deletes them with a tombstone. Every running evaluator picks the
 * change up from its global store; nothing restarts.
 */
public final class RulePublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final Topic<String, String> topic;
    private final Properties consumerProps;

    public RulePublisher(ChokepointConfig config) {
        this.consumerProps = config.kafkaClientProperties();
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.topic = config.topics().alertRules();
    }

    public String topicName() {
        return topic.name();
    }

    /** Publishes every rule and waits until the broker acknowledged all of them. */
    public void apply(Collection<Rule> rules) {
        send(rules.stream().map(r -> new ProducerRecord<>(topic.name(), r.id(), RuleDocument.toJson(r))).toList());
    }

    /**
     * The ids of the rules the topic holds now (the last value per key is not a tombstone), read from
     * the beginning to the current end of the topic. A missing topic holds none.
     */
    public Set<String> publishedRuleIds(Duration timeout) {
        Set<String> ids = new TreeSet<>();
        Properties props = (Properties) consumerProps.clone();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                return ids;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic.name() + " took over " + timeout.toSeconds() + " s");
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        ids.remove(r.key());
                    } else {
                        ids.add(r.key());
                    }
                }
            }
        }
        return ids;
    }

    /** Deletes rules by id (tombstones); their firing alerts resolve at the evaluators' next reconciliation. */
    public void delete(Collection<String> ruleIds) {
        send(ruleIds.stream().map(id -> new ProducerRecord<String, String>(topic.name(), id, null)).toList());
    }

    private void send(java.util.List<ProducerRecord<String, String>> records) {
        java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        try {
            for (ProducerRecord<String, String> r : records) {
                futures.add(producer.send(r));
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            // a refused first record puts the producer in an error state, and the sends after it throw at once
            throw failure(e);
        }
        for (var f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing rules", e);
            } catch (ExecutionException e) {
                throw failure(e.getCause());
            }
        }
    }

    /** What went wrong, by its root: a refusal names the ACLs the principal needs. */
    private IllegalStateException failure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.apache.kafka.common.errors.AuthorizationException) {
                return new IllegalStateException("publishing to " + topic.name() + " failed: not authorized (" + c.getMessage()
                        + "); the principal needs Write and Describe on topic '" + topic.name() + "'", c);
            }
        }
        return new IllegalStateException("publishing to " + topic.name() + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        producer.close();
    }
}
