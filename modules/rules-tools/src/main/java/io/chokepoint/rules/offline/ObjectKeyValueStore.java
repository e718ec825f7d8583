package io.chokepoint.rules.offline;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.HashMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * A key-value store of the offline replay that keeps its values as objects, in the order Kafka
 * Streams' in-memory store keeps them (the keys' UTF-8 bytes). It saves what a serialising store
 * spends on every read and write, which was half of a backtest.
 *
 * <p>The one difference a processor could see: a value read here is the object written, not a
 * fresh copy, so a processor that changed a value it read without writing it back would change
 * the store. {@code HistoryReplayTest} replays against Kafka's serialising stores to catch that.
 * Iterators walk the keys as they were when the iterator was made and read each value when they
 * reach it, passing over a key deleted since, as Kafka's in-memory store's iterators do.
 */
final class ObjectKeyValueStore<V> extends ObjectStore implements KeyValueStore<String, V> {

    /** Point reads and writes by hash; the ordered key set serves ranges and scans, and changes only when a key comes or goes. */
    private final HashMap<String, V> map = new HashMap<>();
    private final TreeSet<String> keys = new TreeSet<>(ObjectStore::utf8Order);

    ObjectKeyValueStore(String name) {
        super(name);
    }

    @Override
    void clear() {
        map.clear();
        keys.clear();
    }

    @Override
    public V get(String key) {
        return map.get(requireKey(key));
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
        } else if (map.put(requireKey(key), value) == null) {
            keys.add(key);
        }
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public V delete(String key) {
        V old = map.remove(requireKey(key));
        if (old != null) {
            keys.remove(key);
        }
        return old;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return keysOf(from, to, true);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return keysOf(from, to, false);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return keysOf(null, null, true);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return keysOf(null, null, false);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        // a prefix of the keys' bytes: with the string serializer, a prefix of the keys
        String p = new String(prefixKeySerializer.serialize(name(), prefix), StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        for (String k : keys.tailSet(p, true)) {
            if (!k.startsWith(p)) {
                break;
            }
            found.add(k);
        }
        return new Snapshot(found);
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private KeyValueIterator<String, V> keysOf(String from, String to, boolean forward) {
        if (from != null && to != null && utf8Order(from, to) > 0) {
            return new Snapshot(List.of()); // Kafka Streams returns nothing for an inverted range
        }
        NavigableSet<String> view = from == null && to == null ? keys
                : from == null ? keys.headSet(to, true)
                : to == null ? keys.tailSet(from, true)
                : keys.subSet(from, true, to, true);
        return new Snapshot(new ArrayList<>(forward ? view : view.descendingSet()));
    }

    /** Walks the keys there were when it was made; a key deleted since is passed over, as in Kafka's in-memory store. */
    private final class Snapshot implements KeyValueIterator<String, V> {
        private final Iterator<String> keys;
        private KeyValue<String, V> next;

        Snapshot(List<String> keys) {
            this.keys = keys.iterator();
        }

        @Override
        public boolean hasNext() {
            while (next == null && keys.hasNext()) {
                String key = keys.next();
                V value = map.get(key);
                if (value != null) {
                    next = new KeyValue<>(key, value);
                }
            }
            return next != null;
        }

        @Override
        public KeyValue<String, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<String, V> current = next;
            next = null;
            return current;
        }

        @Override
        public String peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return next.key;
        }

        @Override
        public void close() {
        }
    }
}
