package io.chokepoint.rules.offline;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;

/**
 * What the offline replay's object stores share: a name, registration without a restore (a replay
 * starts empty and is never restored), and the UTF-8 byte order of keys that Kafka Streams' stores
 * keep.
 */
abstract class ObjectStore implements StateStore {

    private final String name;
    private boolean open;

    ObjectStore(String name) {
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

    static String requireKey(String key) {
        if (key == null) {
            throw new NullPointerException("key cannot be null");
        }
        return key;
    }

    /** Drops every value, on close. */
    abstract void clear();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new UnsupportedOperationException("an offline replay's store is never restored");
        });
        open = true;
    }

    @Override
    public final void close() {
        clear();
        open = false;
    }

    @Override
    public final boolean persistent() {
        return false;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }
}
