package io.chokepoint.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} requests per client address in each wall-clock second. Counts of
 * earlier seconds are dropped as the second turns, so memory follows the clients of one second.
 */
final class RequestRateLimit {

    private final int perSecond;
    private final LongSupplier millis;
    private final Map<String, int[]> counts = new ConcurrentHashMap<>();
    private volatile long second;

    RequestRateLimit(int perSecond, LongSupplier millis) {
        this.perSecond = perSecond;
        this.millis = millis;
        this.second = millis.getAsLong() / 1000;
    }

    /** Counts one request from {@code client}; false when it is over the limit for this second. */
    boolean admit(String client) {
        long now = millis.getAsLong() / 1000;
        if (now != second) {
            synchronized (this) {
                if (now != second) {
                    counts.clear();
                    second = now;
                }
            }
        }
        int[] count = counts.computeIfAbsent(client, c -> new int[1]);
        synchronized (count) {
            return ++count[0] <= perSecond;
        }
    }
}
