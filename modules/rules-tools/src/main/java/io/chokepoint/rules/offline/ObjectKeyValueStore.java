package io.chokepoint.rules.offline;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

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
final class ObjectKeyValueStore<V> implements KeyValueStore<String, V> {

    private final String name;
    private final TreeMap<String, V> map = new TreeMap<>(ObjectKeyValueStore::utf8Order);
    private boolean open;

    ObjectKeyValueStore(String name) {
        this.name = name;
    }

    /** The order of the keys' UTF-8 bytes (code point order), which String.compareTo (UTF-16 order) is not for every key. */
    static int utf8Order(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new UnsupportedOperationException("an offline replay's store is never restored");
        });
        open = true;
    }

    @Override
    public void close() {
        map.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public V get(String key) {
        return map.get(requireKey(key));
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            map.remove(requireKey(key));
        } else {
            map.put(requireKey(key), value);
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
        return map.remove(requireKey(key));
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
        String p = new String(prefixKeySerializer.serialize(name, prefix), StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        for (String k : map.tailMap(p, true).keySet()) {
            if (!k.startsWith(p)) {
                break;
            }
            keys.add(k);
        }
        return new Snapshot(keys);
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private KeyValueIterator<String, V> keysOf(String from, String to, boolean forward) {
        if (from != null && to != null && utf8Order(from, to) > 0) {
            return new Snapshot(List.of()); // Kafka Streams returns nothing for an inverted range
        }
        NavigableMap<String, V> view = from == null && to == null ? map
                : from == null ? map.headMap(to, true)
                : to == null ? map.tailMap(from, true)
                : map.subMap(from, true, to, true);
        return new Snapshot(new ArrayList<>(forward ? view.keySet() : view.descendingKeySet()));
    }

    private static String requireKey(String key) {
        if (key == null) {
            throw new NullPointerException("key cannot be null");
        }
        return key;
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
