package io.chokepoint.alerts;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The latest value per key of a compacted topic, shared by every dispatcher instance: a
 * background thread reads all partitions (no consumer group) and keeps following; {@link #put}
 * writes synchronously and updates the local view at once. Silences and per-receiver delivery
 * progress live in such topics, so they survive restarts and every instance sees what the
 * others wrote.
 *
 * <p>An {@linkplain #expiring expiring} view (delivery progress) stays bounded: an entry older
 * than {@code expireAfter} is dropped from memory and a tombstone is written for it, so
 * compaction removes it from the topic too; at start it reads only from the first record younger
 * than {@code expireAfter}, since nothing older can still matter. It reads the topic only when
 * asked to catch up, not continuously. Its writes linger a few milliseconds so concurrent
 * deliveries share one {@code acks=all} request.
 */
public final class CompactedTopicView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicView.class);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Entry> values = new ConcurrentHashMap<>();
    /** Bumped after every change to {@link #values}, so readers can keep what they derived from it until it moves. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    /** One instance per distinct short value: progress values repeat (a handful of outcomes), so memory goes to keys only. */
    private final Map<String, String> canonical = new ConcurrentHashMap<>();
    private final Duration expireAfter;
    private final Clock clock;
    private long nextSweep;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile CompletableFuture<Void> catchUp = new CompletableFuture<>();
    private volatile CompletableFuture<Void> requested;
    /** True while an on-demand view has stopped fetching (written by the reader thread only). */
    private volatile boolean paused;

    /** A value and when it was written (the record's timestamp). */
    private record Entry(String value, long at) {
    }

    /** A view that keeps every key until it is deleted (silences). */
    public CompactedTopicView(String topic, Properties kafkaClient) {
        this(topic, kafkaClient, null, Duration.ZERO, Clock.systemUTC());
    }

    /** A view whose entries expire {@code expireAfter} after they were written, with tombstones. */
    public static CompactedTopicView expiring(String topic, Properties kafkaClient, Duration expireAfter, Duration linger, Clock clock) {
        return new CompactedTopicView(topic, kafkaClient, expireAfter, linger, clock);
    }

    private CompactedTopicView(String topic, Properties kafkaClient, Duration expireAfter, Duration linger, Clock clock) {
        this.topic = topic;
        this.expireAfter = expireAfter;
        this.clock = clock;
        Properties c = new Properties();
        c.putAll(kafkaClient);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c);
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
        this.producer = new KafkaProducer<>(p);
        this.reader = new Thread(this::follow, "view-" + topic);
        this.reader.setDaemon(true);
        this.requested = catchUp;
    }

    /** Starts following and waits until everything already in the topic has been read. */
    public CompactedTopicView start(Duration timeout) {
        reader.start();
        awaitCaughtUp(timeout);
        return this;
    }

    /** Waits until every record written before this call has been read into the view. */
    public void awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> mine;
        synchronized (this) {
            if (requested.isDone()) {
                requested = new CompletableFuture<>();
            }
            mine = requested;
        }
        if (paused) {
            consumer.wakeup(); // the reader is waiting in a poll that fetches nothing
        }
        try {
            mine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not read topic '" + topic + "' to its end within " + timeout
                    + "; is the broker reachable and does the topic exist?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic '" + topic + "'");
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void follow() {
        try {
            List<PartitionInfo> infos = null;
            while (running && (infos == null || infos.isEmpty())) {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            }
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            seekToWhatMatters(partitions);
            while (running) {
                try {
                    readOnce(partitions);
                } catch (WakeupException e) {
                    // closing, or a catch-up asked of a paused view: the loop decides
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("stopped following topic {}: {}", topic, e.toString());
            requested.completeExceptionally(e);
        }
    }

    private void readOnce(List<TopicPartition> partitions) {
        CompletableFuture<Void> pending = requested;
        boolean catchingUp = !pending.isDone();
        if (onDemand() && catchingUp == paused) {
            if (catchingUp) {
                consumer.resume(partitions);
            } else {
                consumer.pause(partitions);
            }
            paused = !catchingUp;
        }
        Map<TopicPartition, Long> ends = catchingUp ? consumer.endOffsets(partitions) : null;
        long horizon = expireAfter == null ? Long.MIN_VALUE : clock.millis() - expireAfter.toMillis();
        var records = consumer.poll(Duration.ofMillis(ends == null ? 200 : 20));
        for (ConsumerRecord<String, String> r : records) {
            if (r.value() == null || r.timestamp() < horizon) {
                values.remove(r.key()); // an entry already past its expiry (read again at a catch-up) is not taken back
            } else {
                values.put(r.key(), entry(r.value(), r.timestamp()));
            }
        }
        if (!records.isEmpty()) {
            version.incrementAndGet();
        }
        expire();
        if (ends != null && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            pending.complete(null);
        }
    }

    /**
     * An expiring view reads the topic only when asked ({@link #start}, {@link #awaitCaughtUp}):
     * its own writes are remembered as the broker acknowledges them, and what other instances
     * write matters only for the alert partitions this one takes over, which the dispatcher asks
     * for when it is assigned them. Reading every write back was a sixth of a busy dispatcher's CPU.
     */
    private boolean onDemand() {
        return expireAfter != null;
    }

    private void seekToWhatMatters(List<TopicPartition> partitions) {
        if (expireAfter == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        long from = clock.millis() - expireAfter.toMillis();
        Map<TopicPartition, Long> query = new java.util.HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        List<TopicPartition> nothingRecent = new java.util.ArrayList<>();
        for (TopicPartition tp : partitions) {
            var at = found.get(tp);
            if (at == null) {
                nothingRecent.add(tp);
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        if (!nothingRecent.isEmpty()) {
            consumer.seekToEnd(nothingRecent); // an empty list would mean every assigned partition
        }
    }

    private Entry entry(String value, long at) {
        // only short values (outcomes) repeat; long ones (a firing alert's record) would crowd them out
        String shared = value.length() > 64 ? value
                : canonical.size() < 64 ? canonical.computeIfAbsent(value, v -> v) : canonical.getOrDefault(value, value);
        return new Entry(shared, at);
    }

    /** Drops entries older than {@code expireAfter} and writes their tombstones; at most once a second. */
    private void expire() {
        long now = clock.millis();
        if (expireAfter == null || now < nextSweep) {
            return;
        }
        nextSweep = now + 1_000;
        long oldest = now - expireAfter.toMillis();
        var it = values.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().at() < oldest) {
                it.remove();
                version.incrementAndGet();
                // another instance may write the same tombstone: compaction keeps one
                producer.send(new ProducerRecord<>(topic, e.getKey(), null));
            }
        }
    }

    public String get(String key) {
        Entry e = values.get(key);
        return e == null ? null : e.value();
    }

    /** The entries whose key starts with {@code prefix}, as of now. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new java.util.HashMap<>();
        values.forEach((k, e) -> {
            if (k.startsWith(prefix)) {
                out.put(k, e.value());
            }
        });
        return out;
    }

    /** A number that changes whenever the entries do (read, written, deleted or expired); the same number, the same entries. */
    public long version() {
        return version.get();
    }

    /** Entries held in memory. */
    public int size() {
        return values.size();
    }

    public Map<String, String> snapshot() {
        Map<String, String> copy = new java.util.HashMap<>();
        values.forEach((k, e) -> copy.put(k, e.value()));
        return Map.copyOf(copy);
    }

    /** Durable write: returns once the broker acknowledged it (acks=all); a null value deletes the key. */
    public void put(String key, String value) {
        putAll(java.util.Collections.singletonMap(key, value));
    }

    /**
     * Asynchronous durable write of several keys: completes once the broker acknowledged all of
     * them (acks=all), on the producer's I/O thread; the local view is updated at that moment.
     */
    public CompletableFuture<Void> putAllAsync(Map<String, String> entries) {
        List<CompletableFuture<Void>> acks = new java.util.ArrayList<>();
        try {
            entries.forEach((k, v) -> {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                producer.send(new ProducerRecord<>(topic, k, v), (metadata, error) -> {
                    if (error == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(new IllegalStateException("cannot write to topic '" + topic + "': " + error.getMessage(), error));
                    }
                });
                acks.add(ack);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenRun(() -> remember(entries));
    }

    /** Durable write of several keys: all sent, then all awaited. */
    public void putAll(Map<String, String> entries) {
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        entries.forEach((k, v) -> sent.add(producer.send(new ProducerRecord<>(topic, k, v))));
        try {
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("writing to topic '" + topic + "' took over 30 s; is the broker reachable?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to topic '" + topic + "'");
        }
        remember(entries);
    }

    private void remember(Map<String, String> entries) {
        long now = clock.millis();
        entries.forEach((k, v) -> {
            if (v == null) {
                values.remove(k);
            } else {
                values.put(k, entry(v, now));
            }
        });
        version.incrementAndGet();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!reader.isAlive()) {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
        producer.close(Duration.ofSeconds(5));
    }
}
