package io.chokepoint.streams.state;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsSettings;
import io.chokepoint.streams.dlq.DeadLetterCounter;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every RocksDB store of the process draws on one budget, set by {@code streams.store.memory.mb}. */
class BoundedStoreMemoryTest {

    @Test
    void everyStoreSharesOneBlockCacheAndOneWriteBufferBudget() {
        BoundedStoreMemory setter = new BoundedStoreMemory();
        try (Options panes = options(); Options shipments = options()) {
            setter.setConfig("delay-panes.1742601600000", panes, Map.of(BoundedStoreMemory.MEMORY_BYTES_CONFIG, "33554432"));
            setter.setConfig("open-shipments", shipments, Map.of());

            var panesTable = (BlockBasedTableConfigWithAccessibleCache) panes.tableFormatConfig();
            var shipmentsTable = (BlockBasedTableConfigWithAccessibleCache) shipments.tableFormatConfig();
            assertThat(panesTable.blockCache()).isNotNull().isSameAs(shipmentsTable.blockCache());
            assertThat(panesTable.cacheIndexAndFilterBlocks()).as("index and filter blocks are charged to the budget").isTrue();
            assertThat(panes.writeBufferManager()).isNotNull().isSameAs(shipments.writeBufferManager());
            assertThat(panes.writeBufferSize()).isEqualTo(4L << 20);
            assertThat(panes.maxWriteBufferNumber()).isEqualTo(2);
            setter.close("open-shipments", shipments);
            assertThat(panes.writeBufferManager()).as("closing one store leaves the shared budget to the others").isNotNull();
        }
    }

    @Test
    void theBudgetComesFromTheSettingAndTooSmallABudgetIsRefused() {
        Properties defaults = properties(Map.of());
        assertThat(defaults.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedStoreMemory.class.getName());
        assertThat(defaults.get(BoundedStoreMemory.MEMORY_BYTES_CONFIG)).isEqualTo(Long.toString(128L << 20));
        assertThat(properties(Map.of(StreamsProperties.STORE_MEMORY_MB, "512")).get(BoundedStoreMemory.MEMORY_BYTES_CONFIG))
                .isEqualTo(Long.toString(512L << 20));
        assertThatThrownBy(() -> properties(Map.of(StreamsProperties.STORE_MEMORY_MB, "8")))
                .hasMessage("configuration 'streams.store.memory.mb' must be at least 16 (MiB), got 8");
    }

    private static Options options() {
        Options options = new Options();
        // what Kafka Streams' RocksDBStore hands every config setter
        options.setTableFormatConfig(new BlockBasedTableConfigWithAccessibleCache());
        return options;
    }

    private static Properties properties(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put(ChokepointConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");
        all.put(ChokepointConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1");
        ChokepointConfig config = ChokepointConfig.of(all);
        return StreamsProperties.from(config, StreamsSettings.from(config), config.topics(), new DeadLetterCounter());
    }
}
