package io.chokepoint.rules.offline;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * A window store of the offline replay that keeps its values as objects (see
 * {@link ObjectKeyValueStore} for what that saves and what it asks of processors), with the
 * retention of Kafka Streams' in-memory window store: the store's time is the newest window
 * start written; a window at or before that time minus the retention is dropped, and neither
 * written nor read. Windows of one start are hashed by key and sorted in Kafka's key order only
 * when a range of keys is read; fetches return a snapshot.
 */
final class ObjectWindowStore<V> extends ObjectStore implements WindowStore<String, V> {

    private static final long NO_TIME = -1L;

    private final long retentionMs;
    /** Window start → key → value. */
    private final TreeMap<Long, HashMap<String, V>> windows = new TreeMap<>();
    private long observedTime = NO_TIME;

    ObjectWindowStore(String name, long retentionMs) {
        super(name);
        this.retentionMs = retentionMs;
    }

    @Override
    void clear() {
        windows.clear();
    }

    @Override
    public void put(String key, V value, long windowStart) {
        requireKey(key);
        dropExpired();
        observedTime = Math.max(observedTime, windowStart);
        if (windowStart <= observedTime - retentionMs) {
            return; // expired: Kafka Streams skips it too
        }
        if (value != null) {
            windows.computeIfAbsent(windowStart, t -> new HashMap<>()).put(key, value);
        } else {
            HashMap<String, V> atStart = windows.get(windowStart);
            if (atStart != null) {
                atStart.remove(key);
                if (atStart.isEmpty()) {
                    windows.remove(windowStart);
                }
            }
        }
    }

    @Override
    public V fetch(String key, long windowStart) {
        requireKey(key);
        dropExpired();
        if (windowStart <= observedTime - retentionMs) {
            return null;
        }
        HashMap<String, V> atStart = windows.get(windowStart);
        return atStart == null ? null : atStart.get(key);
    }

    @Override
    public WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo) {
        return fetch(key, timeFrom, timeTo, true);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(String key, long timeFrom, long timeTo) {
        return fetch(key, timeFrom, timeTo, false);
    }

    private WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo, boolean forward) {
        requireKey(key);
        List<KeyValue<Long, V>> found = new ArrayList<>();
        for (Map.Entry<Long, HashMap<String, V>> w : live(timeFrom, timeTo, forward).entrySet()) {
            V value = w.getValue().get(key);
            if (value != null) {
                found.add(new KeyValue<>(w.getKey(), value));
            }
        }
        return new TimeSnapshot<>(found);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        return windowed(keyFrom, keyTo, live(timeFrom, timeTo, true), true);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        return windowed(keyFrom, keyTo, live(timeFrom, timeTo, false), false);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetchAll(long timeFrom, long timeTo) {
        return windowed(null, null, live(timeFrom, timeTo, true), true);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetchAll(long timeFrom, long timeTo) {
        return windowed(null, null, live(timeFrom, timeTo, false), false);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> all() {
        return fetchAll(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardAll() {
        return backwardFetchAll(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The windows from {@code timeFrom} to {@code timeTo} (inclusive) still within retention. */
    private NavigableMap<Long, HashMap<String, V>> live(long timeFrom, long timeTo, boolean forward) {
        dropExpired();
        long from = Math.max(timeFrom, observedTime - retentionMs + 1);
        if (timeTo < from) {
            return new TreeMap<>();
        }
        NavigableMap<Long, HashMap<String, V>> view = windows.subMap(from, true, timeTo, true);
        return forward ? view : view.descendingMap();
    }

    private KeyValueIterator<Windowed<String>, V> windowed(String keyFrom, String keyTo, NavigableMap<Long, HashMap<String, V>> live,
                                                             boolean forward) {
        List<KeyValue<Windowed<String>, V>> found = new ArrayList<>();
        Comparator<String> order = forward ? ObjectStore::utf8Order : (a, b) -> ObjectStore.utf8Order(b, a);
        for (Map.Entry<Long, HashMap<String, V>> w : live.entrySet()) {
            // ranges over keys are rare (a processor's start-up): the keys of a window are sorted then
            List<String> keys = new ArrayList<>();
            for (String k : w.getValue().keySet()) {
                if ((keyFrom == null || ObjectStore.utf8Order(k, keyFrom) >= 0) && (keyTo == null || ObjectStore.utf8Order(k, keyTo) <= 0)) {
                    keys.add(k);
                }
            }
            keys.sort(order);
            for (String k : keys) {
                found.add(new KeyValue<>(new Windowed<>(k, new StartOnly(w.getKey())), w.getValue().get(k)));
            }
        }
        return new Snapshot<>(found);
    }

    private void dropExpired() {
        long minLive = Math.max(0L, observedTime - retentionMs + 1);
        windows.headMap(minLive, false).clear();
    }

    /**
     * A window known by its start only: the store is not told the window size, and the replayed
     * processors read only the start. Its end is the largest time, never mistaken for a real one.
     */
    private static final class StartOnly extends Window {
        StartOnly(long start) {
            super(start, Long.MAX_VALUE);
        }

        @Override
        public boolean overlap(Window other) {
            return other.end() > start();
        }
    }

    private static class Snapshot<K, V> implements KeyValueIterator<K, V> {
        private final Iterator<KeyValue<K, V>> entries;
        private KeyValue<K, V> next;

        Snapshot(List<KeyValue<K, V>> found) {
            this.entries = found.iterator();
            this.next = entries.hasNext() ? entries.next() : null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public KeyValue<K, V> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            KeyValue<K, V> current = next;
            next = entries.hasNext() ? entries.next() : null;
            return current;
        }

        @Override
        public K peekNextKey() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            return next.key;
        }

        @Override
        public void close() {
        }
    }

    private static final class TimeSnapshot<V> extends Snapshot<Long, V> implements WindowStoreIterator<V> {
        TimeSnapshot(List<KeyValue<Long, V>> found) {
            super(found);
        }
    }
}
