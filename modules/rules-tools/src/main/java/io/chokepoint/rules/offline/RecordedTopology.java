package io.chokepoint.rules.offline;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link Topology} that also keeps what it was built from: sources with their topics and
 * timestamp extractors, processor suppliers with their parents, sinks with their topics, and the
 * store builders. {@link HistoryReplay} runs the production topologies from it, so the replay is
 * wired by the same code that wires the application ({@code DelayAggregation.addTo},
 * {@code RuleTopology.addTo}) and cannot drift from it.
 *
 * <p>{@code AutoOffsetReset} is spelled out: inside a Topology subclass the bare name means the
 * deprecated nested {@code Topology.AutoOffsetReset}, and the overrides would silently not override.
 * Only the overloads those topologies use are recorded; {@link #checkRecorded} refuses a
 * topology with a node added any other way, rather than replaying part of it.
 */
final class RecordedTopology extends Topology {

    record Source(String name, List<String> topics, TimestampExtractor timestamps) {
    }

    record ProcessorNode(String name, ProcessorSupplier<?, ?, ?, ?> supplier, List<String> parents) {
    }

    record Sink(String name, String topic, List<String> parents) {
    }

    record Store(StoreBuilder<?> builder, List<String> processors) {
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, ProcessorNode> processors = new LinkedHashMap<>();
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private final List<Store> stores = new ArrayList<>();
    private final List<StoreBuilder<?>> globalStores = new ArrayList<>();

    @Override
    public synchronized <K, V> Topology addSource(org.apache.kafka.streams.AutoOffsetReset offsetReset, String name, TimestampExtractor timestampExtractor,
                                                  Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer, String... topics) {
        super.addSource(offsetReset, name, timestampExtractor, keyDeserializer, valueDeserializer, topics);
        sources.put(name, new Source(name, List.of(topics), timestampExtractor));
        return this;
    }

    @Override
    public synchronized <K, V> Topology addSource(org.apache.kafka.streams.AutoOffsetReset offsetReset, String name, Deserializer<K> keyDeserializer,
                                                  Deserializer<V> valueDeserializer, String... topics) {
        super.addSource(offsetReset, name, keyDeserializer, valueDeserializer, topics);
        // the application's default extractor (FailOnInvalidTimestamp) takes the record's own timestamp
        sources.put(name, new Source(name, List.of(topics), null));
        return this;
    }

    @Override
    public synchronized <KIn, VIn, KOut, VOut> Topology addProcessor(String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier,
                                                                     String... parentNames) {
        super.addProcessor(name, supplier, parentNames);
        processors.put(name, new ProcessorNode(name, supplier, List.of(parentNames)));
        return this;
    }

    @Override
    public synchronized <K, V> Topology addSink(String name, String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
                                                String... parentNames) {
        super.addSink(name, topic, keySerializer, valueSerializer, parentNames);
        sinks.put(name, new Sink(name, topic, List.of(parentNames)));
        return this;
    }

    @Override
    public synchronized <S extends StateStore> Topology addStateStore(StoreBuilder<S> storeBuilder, String... processorNames) {
        super.addStateStore(storeBuilder, processorNames);
        stores.add(new Store(storeBuilder, List.of(processorNames)));
        return this;
    }

    /** A global store is replayed as an empty store: a replay has no global topic to read (the rules come from files). */
    @Override
    public synchronized <K, V, S extends StateStore> Topology addGlobalStore(StoreBuilder<S> storeBuilder, String sourceName,
                                                                             TimestampExtractor timestampExtractor,
                                                                             Deserializer<K> keyDeserializer,
                                                                             Deserializer<V> valueDeserializer, String topic,
                                                                             String processorName,
                                                                             ProcessorSupplier<K, V, Void, Void> stateUpdateSupplier) {
        super.addGlobalStore(storeBuilder, sourceName, timestampExtractor, keyDeserializer, valueDeserializer, topic, processorName,
                stateUpdateSupplier);
        globalStores.add(storeBuilder);
        return this;
    }

    /** Throws if the topology has a node that was not recorded (added through an overload this class does not follow). */
    void checkRecorded() {
        Set<String> unrecorded = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (!sources.containsKey(node.name()) && !processors.containsKey(node.name()) && !sinks.containsKey(node.name())) {
                    unrecorded.add(node.name());
                }
            }
        }
        if (describe().globalStores().size() != globalStores.size()) {
            unrecorded.add("a global store");
        }
        if (!unrecorded.isEmpty()) {
            throw new IllegalStateException("the offline replay cannot run " + unrecorded + ": added through a Topology method "
                    + RecordedTopology.class.getSimpleName() + " does not record");
        }
    }

    Map<String, Source> sources() {
        return sources;
    }

    Map<String, ProcessorNode> processors() {
        return processors;
    }

    Map<String, Sink> sinks() {
        return sinks;
    }

    List<Store> stores() {
        return stores;
    }

    List<StoreBuilder<?>> globalStores() {
        return globalStores;
    }
}
