package io.chokepoint.rules.offline;

import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.StreamsSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.WindowStoreBuilder;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;

/**
 * Replays input events through the delay aggregation and the rule evaluation, calling the
 * production processors directly: the backtest's engine.
 *
 * <p>It runs the topology as one Kafka Streams task does, and as {@link Replay} (the
 * TopologyTestDriver) runs it, with the same results (checked by {@code HistoryReplayTest} and
 * by {@code StreamsAndRulesTest}, which run both):
 * <ul>
 *   <li>the topology is wired by {@code DelayAggregation.addTo} and {@code RuleTopology.addTo},
 *       recorded by {@link RecordedTopology}; each store it declares is replaced by one that keeps
 *       values as objects, in the same key order and with the same retention
 *       ({@link ObjectKeyValueStore}, {@link ObjectWindowStore});</li>
 *   <li>a forward reaches its children at once, depth first; a record written to a topic the
 *       topology reads (the stats the rules evaluate) is queued and processed after the record in
 *       hand, the queue with the oldest head first, as a task's partition group picks them;</li>
 *   <li>stream time is the largest timestamp processed; the wall clock moves only in
 *       {@link #advanceWallClock}; punctuators fire as Kafka Streams' punctuation queue fires them.</li>
 * </ul>
 * What it leaves out is what costs most per record and means nothing offline: serialising every
 * record in and out of each topic and every value in and out of each store, a commit, flush and
 * checkpoint after every record, and (the TopologyTestDriver's own) matching each piped topic
 * against every source topic as a regular expression. The trade-war story's 152,417 events took
 * 22–24 s through the TopologyTestDriver, 11 s with the processors called directly, 5 s with
 * object stores, with the same report.
 */
public final class HistoryReplay implements AutoCloseable {

    /** The replay's wall clock at start, as {@link Replay}'s. */
    private static final Instant WALL_START = Instant.parse("2000-01-01T00:00:00Z");
    /** Kafka Streams' "no time yet". */
    private static final long UNKNOWN = -1L;

    private final Topics topics;
    private final String alertsTopic;
    private final String statsTopic;
    /** Hosts the stores (its store context initialises them) and lends the processors its metrics and configuration. */
    private final MockProcessorContext<Object, Object> host;
    private final Map<String, StateStore> stores = new LinkedHashMap<>();
    private final Set<String> globalStores = new HashSet<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final List<ProcessorRun> processors = new ArrayList<>();
    private final Map<String, TopicQueue> queues = new HashMap<>();
    private final PriorityQueue<TopicQueue> queuesByTime = new PriorityQueue<>(Comparator.comparingLong(TopicQueue::headTimestamp));
    private final PriorityQueue<Schedule> wallClockSchedules = new PriorityQueue<>(Comparator.comparingLong(Schedule::at));
    private final PriorityQueue<Schedule> streamTimeSchedules = new PriorityQueue<>(Comparator.comparingLong(Schedule::at));
    private final List<DisruptionAlert> alerts = new ArrayList<>();
    private long statsEmitted;
    private long wallClock = WALL_START.toEpochMilli();
    private long streamTime = UNKNOWN;
    private RecordMetadata current;

    HistoryReplay(RecordedTopology topology, Topics topics) {
        topology.checkRecorded();
        this.topics = topics;
        this.alertsTopic = topics.disruptionAlerts().name();
        this.statsTopic = topics.commodityDelayStats().name();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "chokepoint-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline.invalid:9092");
        this.host = new MockProcessorContext<>(props);

        Map<String, Set<String>> storesOf = new HashMap<>();
        for (RecordedTopology.Store s : topology.stores()) {
            StateStore store = objectStoreFor(s.builder());
            store.init(host.getStateStoreContext(), store);
            stores.put(store.name(), store);
            s.processors().forEach(p -> storesOf.computeIfAbsent(p, k -> new HashSet<>()).add(store.name()));
        }
        for (var builder : topology.globalStores()) {
            StateStore store = objectStoreFor(builder);
            store.init(host.getStateStoreContext(), store);
            stores.put(store.name(), store);
            globalStores.add(store.name());
        }

        Map<String, List<String>> children = new HashMap<>();
        topology.processors().values().forEach(p -> p.parents().forEach(parent -> children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p.name())));
        topology.sinks().values().forEach(s -> s.parents().forEach(parent -> children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s.name())));
        for (RecordedTopology.Sink sink : topology.sinks().values()) {
            nodes.put(sink.name(), new SinkRun(sink.topic()));
        }
        for (RecordedTopology.ProcessorNode p : topology.processors().values()) {
            ProcessorRun run = new ProcessorRun(p.name(), p.supplier().get(), children.getOrDefault(p.name(), List.of()),
                    storesOf.getOrDefault(p.name(), Set.of()));
            nodes.put(p.name(), run);
            processors.add(run);
        }
        for (RecordedTopology.Source source : topology.sources().values()) {
            for (String topic : source.topics()) {
                // Kafka Streams lets one source read a topic, never two
                queues.put(topic, new TopicQueue(topic, source.timestamps(), children.getOrDefault(source.name(), List.of())));
            }
        }
        // in the order they were added, as a task initialises them: punctuators scheduled for the same time fire in the same order
        processors.forEach(ProcessorRun::init);
    }

    /**
     * The store a builder declares, keeping values as objects: a key-value store, or a window store
     * with the builder's retention. Any other store (none today) is Kafka's own, serialising one.
     */
    private static StateStore objectStoreFor(StoreBuilder<?> builder) {
        StateStore declared = builder.build();
        if (declared instanceof WindowStore<?, ?> && builder instanceof WindowStoreBuilder<?, ?> windows) {
            return new ObjectWindowStore<>(builder.name(), windows.retentionPeriod());
        }
        if (declared instanceof KeyValueStore<?, ?>) {
            return new ObjectKeyValueStore<>(builder.name());
        }
        return declared;
    }

    /** Delay aggregation plus rule evaluation, with offline stores; feed it with {@link #pipeEvent}. */
    public static HistoryReplay of(RuleSet rules, RuleSettings ruleSettings, StreamsSettings streamsSettings) {
        Topics topics = OfflineTopics.create();
        RecordedTopology topology = new RecordedTopology();
        DelayAggregation.addTo(topology, streamsSettings, topics, true);
        RuleTopology.addTo(topology, topics, rules, ruleSettings, CommodityCatalogue.defaultCatalogue(), true);
        return new HistoryReplay(topology, topics);
    }

    /** Processes one input event and everything it causes, as piping it into a TopologyTestDriver would. */
    public void pipeEvent(SpecificRecord event, Instant eventTime) {
        OfflineTopics.Input input = OfflineTopics.inputOf(topics, event);
        enqueue(input.topic().name(), input.key(), event, eventTime.toEpochMilli());
        processQueued();
    }

    /** Moves the wall clock: fires the wall-clock punctuators that came due, then processes what they wrote. */
    public void advanceWallClock(Duration d) {
        wallClock += d.toMillis();
        punctuate(wallClockSchedules, wallClock, PunctuationType.WALL_CLOCK_TIME);
        processQueued();
    }

    /** Alerts emitted since the last call, in order. */
    public List<DisruptionAlert> drainAlerts() {
        List<DisruptionAlert> drained = List.copyOf(alerts);
        alerts.clear();
        return drained;
    }

    /** Number of final stats records emitted since the last call. */
    public long drainStatsCount() {
        long n = statsEmitted;
        statsEmitted = 0;
        return n;
    }

    @Override
    public void close() {
        processors.forEach(p -> p.processor.close());
        stores.values().forEach(StateStore::close);
    }

    private void enqueue(String topic, Object key, Object value, long timestamp) {
        TopicQueue queue = queues.get(topic);
        if (queue == null) {
            return;
        }
        long offset = queue.nextOffset++;
        long t = queue.timestamps == null ? timestamp : queue.timestamps.extract(new ConsumerRecord<>(topic, 0, offset, timestamp,
                TimestampType.CREATE_TIME, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, key, value, new RecordHeaders(),
                Optional.empty()), queue.partitionTime);
        if (t < 0) {
            return; // Kafka Streams skips a record with a negative timestamp
        }
        queue.partitionTime = Math.max(queue.partitionTime, t);
        if (queue.pending.isEmpty()) {
            queuesByTime.offer(queue.add(new Pending(key, value, t, offset)));
        } else {
            queue.add(new Pending(key, value, t, offset));
        }
    }

    /** Processes queued records, the oldest queue head first, until none is left (a task's partition group and process loop). */
    private void processQueued() {
        TopicQueue queue;
        while ((queue = queuesByTime.poll()) != null) {
            Pending p = queue.pending.poll();
            if (!queue.pending.isEmpty()) {
                queuesByTime.offer(queue);
            }
            streamTime = Math.max(streamTime, p.timestamp);
            current = new Metadata(queue.topic, p.offset);
            Record<Object, Object> record = new Record<>(p.key, p.value, p.timestamp);
            for (String child : queue.children) {
                deliver(child, record);
            }
            current = null;
            if (streamTime != UNKNOWN) {
                punctuate(streamTimeSchedules, streamTime, PunctuationType.STREAM_TIME);
            }
        }
    }

    @SuppressWarnings("unchecked") // the processors' own generics, checked when the topology was built
    private void deliver(String nodeName, Record<?, ?> record) {
        nodes.get(nodeName).process((Record<Object, Object>) record);
    }

    /** Fires every schedule due at {@code now} once, in time order, and reschedules it, as Kafka Streams' PunctuationQueue does. */
    private void punctuate(PriorityQueue<Schedule> schedules, long now, PunctuationType type) {
        Schedule top;
        while ((top = schedules.peek()) != null && top.at <= now) {
            schedules.poll();
            if (top.cancelled[0]) {
                continue;
            }
            RecordMetadata before = current;
            current = null;
            try {
                top.punctuator.punctuate(now);
            } catch (RuntimeException e) {
                throw new StreamsException(type + " punctuation of " + top.node + " failed: " + e.getMessage(), e);
            }
            current = before;
            if (!top.cancelled[0]) {
                Schedule next = top.next(now);
                if (next.at > now) {
                    schedules.add(next);
                }
            }
        }
    }

    private interface Node {
        void process(Record<Object, Object> record);
    }

    private final class SinkRun implements Node {
        private final String topic;

        SinkRun(String topic) {
            this.topic = topic;
        }

        @Override
        public void process(Record<Object, Object> record) {
            if (topic.equals(alertsTopic)) {
                alerts.add((DisruptionAlert) record.value());
            } else if (topic.equals(statsTopic)) {
                statsEmitted++;
            }
            enqueue(topic, record.key(), record.value(), record.timestamp());
        }
    }

    private final class ProcessorRun implements Node, ProcessorContext<Object, Object> {
        private final String name;
        private final Processor<Object, Object, Object, Object> processor;
        private final List<String> children;
        private final Set<String> connectedStores;

        @SuppressWarnings("unchecked")
        ProcessorRun(String name, Processor<?, ?, ?, ?> processor, List<String> children, Set<String> connectedStores) {
            this.name = name;
            this.processor = (Processor<Object, Object, Object, Object>) processor;
            this.children = children;
            this.connectedStores = connectedStores;
        }

        void init() {
            processor.init(this);
        }

        @Override
        public void process(Record<Object, Object> record) {
            try {
                processor.process(record);
            } catch (StreamsException e) {
                throw e;
            } catch (RuntimeException e) {
                String what = current == null ? "a punctuation's output" : current.topic() + "@" + current.offset();
                throw new StreamsException("processing " + what + " at " + name + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public <K, V> void forward(Record<K, V> record) {
            for (String child : children) {
                deliver(child, record);
            }
        }

        @Override
        public <K, V> void forward(Record<K, V> record, String childName) {
            if (childName == null) {
                forward(record);
                return;
            }
            if (!children.contains(childName)) {
                throw new StreamsException("unknown downstream node " + childName + " of " + name);
            }
            deliver(childName, record);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends StateStore> S getStateStore(String storeName) {
            if (!connectedStores.contains(storeName) && !globalStores.contains(storeName)) {
                throw new StreamsException("processor " + name + " has no access to store " + storeName);
            }
            return (S) stores.get(storeName);
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator punctuator) {
            long every = interval.toMillis();
            // as a stream task: wall-clock punctuation one interval from now, stream-time punctuation as soon as there is data
            long first = type == PunctuationType.WALL_CLOCK_TIME ? wallClock + every : 0L;
            return schedule(first, every, type, punctuator);
        }

        @Override
        public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator punctuator) {
            return schedule(startTime.toEpochMilli(), interval.toMillis(), type, punctuator);
        }

        private Cancellable schedule(long first, long every, PunctuationType type, Punctuator punctuator) {
            if (every < 1) {
                throw new IllegalArgumentException("the punctuation interval must be at least 1 ms");
            }
            boolean[] cancelled = {false};
            Schedule s = new Schedule(name, first, every, punctuator, cancelled);
            (type == PunctuationType.WALL_CLOCK_TIME ? wallClockSchedules : streamTimeSchedules).add(s);
            return () -> cancelled[0] = true;
        }

        @Override
        public String applicationId() {
            return host.applicationId();
        }

        @Override
        public TaskId taskId() {
            return host.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return Optional.ofNullable(current);
        }

        @Override
        public Serde<?> keySerde() {
            return host.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return host.valueSerde();
        }

        @Override
        public File stateDir() {
            return host.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return host.metrics();
        }

        @Override
        public void commit() {
            // every record is as good as committed: a replay is never restored
        }

        @Override
        public Map<String, Object> appConfigs() {
            return host.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return host.appConfigsWithPrefix(prefix);
        }

        @Override
        public long currentSystemTimeMs() {
            return wallClock;
        }

        @Override
        public long currentStreamTimeMs() {
            return streamTime;
        }
    }

    private record Pending(Object key, Object value, long timestamp, long offset) {
    }

    /**
     * One partition of a topic the topology reads, with the source that reads it (its timestamp
     * extractor, null for the record's own timestamp, and its children): queued records, offsets,
     * partition time.
     */
    private static final class TopicQueue {
        final String topic;
        final TimestampExtractor timestamps;
        final List<String> children;
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        long nextOffset;
        long partitionTime = UNKNOWN;

        TopicQueue(String topic, TimestampExtractor timestamps, List<String> children) {
            this.topic = topic;
            this.timestamps = timestamps;
            this.children = children;
        }

        TopicQueue add(Pending p) {
            pending.add(p);
            return this;
        }

        long headTimestamp() {
            return pending.peek().timestamp;
        }
    }

    private record Metadata(String topic, long offset) implements RecordMetadata {
        @Override
        public int partition() {
            return 0;
        }
    }

    private record Schedule(String node, long at, long interval, Punctuator punctuator, boolean[] cancelled) {
        /** The next time after {@code now}, on this schedule's grid, as Kafka Streams' PunctuationSchedule.next. */
        Schedule next(long now) {
            long next = at + interval;
            if (now >= next) {
                try {
                    next = Math.addExact(at, Math.multiplyExact((now - at) / interval + 1, interval));
                } catch (ArithmeticException overflow) {
                    next = Long.MAX_VALUE;
                }
            }
            return new Schedule(node, next, interval, punctuator, cancelled);
        }
    }
}
