package io.chokepoint.streams.state;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Caps the off-heap memory of every RocksDB store of the process together. An instance opens
 * one RocksDB per store, task and window segment (about 120 in the demo), and RocksDB's defaults
 * give each its own 50 MiB block cache and up to three 16 MiB memtables: the demo's resident
 * memory grew past 1 GiB with a 512 MiB heap. Here block cache, index and filter blocks and
 * memtables are all charged to one LRU cache of {@link #MEMORY_BYTES_CONFIG} bytes; RocksDB
 * flushes memtables early when the budget is reached, which costs some write amplification on
 * disk, never correctness.
 *
 * <p>The cache is shared by every Kafka Streams application in the JVM and sized by the first
 * store opened (RocksDB holds the options of a store for its lifetime).
 */
public final class BoundedStoreMemory implements RocksDBConfigSetter {

    /** The streams property carrying {@code streams.store.memory.mb} in bytes. */
    public static final String MEMORY_BYTES_CONFIG = "chokepoint.store.memory.bytes";
    public static final long DEFAULT_BYTES = 128L << 20;
    /** Share of the budget memtables may take before RocksDB flushes them. */
    private static final double MEMTABLE_SHARE = 0.5;
    private static final long MEMTABLE_BYTES = 4L << 20;
    private static final long BLOCK_BYTES = 8L << 10;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long budget = budget(configs);
        synchronized (BoundedStoreMemory.class) {
            if (cache == null) {
                // strict capacity off: a read that needs a block beyond the budget still succeeds
                cache = new LRUCache(budget, -1, false, 0.1);
                writeBuffers = new WriteBufferManager((long) (budget * MEMTABLE_SHARE), cache);
            }
        }
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setBlockSize(BLOCK_BYTES);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: they live as long as the process
    }

    private static long budget(Map<String, Object> configs) {
        Object value = configs.get(MEMORY_BYTES_CONFIG);
        if (value == null) {
            return DEFAULT_BYTES;
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    }
}
