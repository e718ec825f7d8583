package io.chokepoint.streams;

import io.chokepoint.events.Topics;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.dlq.DeadLetterCounter;
import io.chokepoint.streams.dlq.DeadLetterDeserializationHandler;
import io.chokepoint.streams.dlq.DeadLetterProcessingHandler;
import io.chokepoint.streams.dlq.DeadLetterProductionHandler;
import io.chokepoint.streams.dlq.DeadLetters;
import io.chokepoint.streams.state.BoundedStoreMemory;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * The one place the Kafka Streams configuration is made: exactly-once v2, the dead-letter
 * handlers, the registry settings those handlers need, then every {@code kafka.*} property of
 * the Chokepoint configuration passed through unchanged (it wins over these defaults).
 */
public final class StreamsProperties {

    public static final String APPLICATION_ID = "streams.application.id";
    public static final String STATE_DIR = "streams.state.dir";
    /** {@code host:port} this instance serves interactive queries on, advertised to the others. */
    public static final String APPLICATION_SERVER = "streams.application.server";
    public static final String DEFAULT_APPLICATION_ID = "chokepoint-streams";
    /** The record cache of all stores of an instance together ({@code kafka.statestore.cache.max.bytes} overrides it). */
    public static final long RECORD_CACHE_BYTES = 64L << 20;
    /** Off-heap memory of all RocksDB stores of the process together, in MiB (see {@link BoundedStoreMemory}). */
    public static final String STORE_MEMORY_MB = "streams.store.memory.mb";
    /**
     * System property naming a state directory that is temporary on purpose (the demo's, the
     * benchmark's): the CLI's log filter then drops Kafka's warning about state under the OS temp dir.
     */
    public static final String TEMPORARY_STATE_DIR_PROPERTY = "chokepoint.temporary.state.dir";

    private static final Logger LOG = LoggerFactory.getLogger(StreamsProperties.class);

    private StreamsProperties() {
    }

    public static Properties from(ChokepointConfig config, StreamsSettings settings, Topics topics, DeadLetterCounter counter) {
        Properties props = new Properties();
        props.putAll(config.registryProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get(APPLICATION_ID, DEFAULT_APPLICATION_ID));
        config.find(STATE_DIR).ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir));
        config.find(APPLICATION_SERVER).ifPresent(server -> props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        // global stores (the alert rules) get the same dead-letter handling as the tasks; Kafka 5.0
        // makes this the default and drops the key (its constant is already deprecated in 4.4)
        props.put("processing.exception.handler.global.enabled", "true");
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        props.put(DeadLetters.TOPIC_CONFIG, topics.deadLetters().name());
        props.put(DeadLetters.REGISTRY_RETRIES_CONFIG, Integer.toString(settings.registryRetries()));
        props.put(DeadLetters.COUNTER_CONFIG, counter);
        // Kafka Streams' 10 MiB record cache evicts the panes and shipment states of 1,000 busy
        // commodities before the commit, so their repeated writes reach the changelogs one by one
        // (chokepoint bench: 3.0 changelog records per milestone with 10 MiB, 1.9 with 64 MiB)
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(RECORD_CACHE_BYTES));
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedStoreMemory.class.getName());
        props.put(BoundedStoreMemory.MEMORY_BYTES_CONFIG, Long.toString(storeMemoryBytes(config)));
        props.putAll(config.kafkaClientProperties());
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            LOG.warn("processing.guarantee overridden to {}: stats may be double-counted after a failure",
                    props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        }
        return props;
    }

    /** {@code streams.store.memory.mb} in bytes (at least 16 MiB: less would flush memtables after every few records). */
    public static long storeMemoryBytes(ChokepointConfig config) {
        int mb = config.getInt(STORE_MEMORY_MB, (int) (BoundedStoreMemory.DEFAULT_BYTES >> 20));
        if (mb < 16) {
            throw new ChokepointConfig.ConfigProblem(STORE_MEMORY_MB, "must be at least 16 (MiB), got " + mb);
        }
        return (long) mb << 20;
    }
}
