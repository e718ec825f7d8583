package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.CompactedTopicView;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which receiver already has which alert transition, in a compacted topic
 * (key {@code receiver|alertId:state}, value {@code {"outcome":…}}; when it was recorded is the record's timestamp). Written before the
 * offset is committed, read on start and on partition assignment, so a restarted or rebalanced
 * dispatcher replays uncommitted records without resending to receivers that already have them.
 */
public final class DeliveryProgress implements AutoCloseable {

    /**
     * How a receiver's share of an alert ended. A FIRING muted for a receiver is recorded too: its
     * RESOLVED must then stay muted for that receiver, even after a restart.
     */
    public enum Outcome { DELIVERED, DELIVERED_BY_FALLBACK, DEAD_LETTERED, SILENCED, INHIBITED }

    private static final Pattern OUTCOME = Pattern.compile("\"outcome\":\"([A-Z_]+)\"");

    private final CompactedTopicView view;

    public DeliveryProgress(CompactedTopicView view) {
        this.view = view;
    }

    public static String key(String receiver, String transitionKey) {
        return receiver + "|" + transitionKey;
    }

    public boolean finished(String receiver, String transitionKey) {
        return view.get(key(receiver, transitionKey)) != null;
    }

    /** The recorded outcome; empty when none is recorded (or it is unreadable). */
    public Optional<Outcome> outcome(String receiver, String transitionKey) {
        String value = view.get(key(receiver, transitionKey));
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = OUTCOME.matcher(value);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Outcome.valueOf(m.group(1)));
        } catch (IllegalArgumentException newerOutcome) {
            return Optional.empty();
        }
    }

    public void record(String receiver, Iterable<String> transitionKeys, Outcome outcome) {
        view.putAll(entries(receiver, transitionKeys, outcome));
    }

    /** Like {@link #record} but returns at once; the future completes when the broker has it. */
    public java.util.concurrent.CompletableFuture<Void> recordAsync(String receiver, Iterable<String> transitionKeys, Outcome outcome) {
        return view.putAllAsync(entries(receiver, transitionKeys, outcome));
    }

    private static Map<String, String> entries(String receiver, Iterable<String> transitionKeys, Outcome outcome) {
        Map<String, String> entries = new LinkedHashMap<>();
        String value = "{\"outcome\":\"" + outcome + "\"}";
        for (String k : transitionKeys) {
            entries.put(key(receiver, k), value);
        }
        return entries;
    }

    public void start(java.time.Duration timeout) {
        view.start(timeout);
    }

    public void awaitCaughtUp(java.time.Duration timeout) {
        view.awaitCaughtUp(timeout);
    }

    @Override
    public void close() {
        view.close();
    }
}
