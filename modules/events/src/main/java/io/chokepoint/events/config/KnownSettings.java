package io.chokepoint.events.config;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings components read, as recorded by a {@link ChokepointConfig#recordingInto recording
 * configuration}: each key with the default it falls back to, and the prefixes passed through whole
 * ({@code kafka.}). What a user set that nobody reads is a typo or a stale key.
 */
public final class KnownSettings {

    private final Map<String, Optional<String>> defaults = new TreeMap<>();
    private final Set<String> prefixes = new TreeSet<>();

    synchronized void read(String key, Optional<String> fallback) {
        Optional<String> before = defaults.get(key);
        if (before == null || before.isEmpty()) {
            defaults.put(key, fallback);
        }
    }

    synchronized void readPrefix(String prefix) {
        prefixes.add(prefix);
    }

    /** Every key read, sorted, with its default (empty: none, the key is optional or required). */
    public synchronized Map<String, Optional<String>> defaults() {
        return Collections.unmodifiableMap(new TreeMap<>(defaults));
    }

    public synchronized boolean isKnown(String key) {
        return defaults.containsKey(key) || prefixes.stream().anyMatch(key::startsWith);
    }

    /** The known key closest to a mistyped one, when it is close enough to be what was meant. */
    public synchronized Optional<String> closest(String key) {
        return defaults.keySet().stream()
                .min(Comparator.comparingInt(candidate -> distance(key, candidate)))
                .filter(candidate -> distance(key, candidate) <= Math.max(2, key.length() / 4));
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
