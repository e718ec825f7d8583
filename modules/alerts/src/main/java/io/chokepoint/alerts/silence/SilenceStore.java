package io.chokepoint.alerts.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chokepoint.alerts.CompactedTopicView;
import io.chokepoint.alerts.routing.LabelMatcher;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Silences kept in a compacted Kafka topic (key = silence id, value = the silence as JSON), so they
 * survive restarts and every {@code chokepoint alerts} instance applies the same ones. The HTTP
 * API and {@code chokepoint alerts silence} both write through this class.
 */
public final class SilenceStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CompactedTopicView view;
    private final Clock clock;
    /**
     * The silences as parsed at one version of the view: every alert is checked against them, and
     * parsing each silence's JSON and matchers (regular expressions) per alert made delivery slower
     * with every silence ever created.
     */
    private volatile Parsed parsed = new Parsed(-1, List.of());

    private record Parsed(long version, List<Silence> silences) {
    }

    public SilenceStore(CompactedTopicView view, Clock clock) {
        this.view = view;
        this.clock = clock;
    }

    /** Creates a silence from now for {@code duration}; matchers are validated first. */
    public Silence add(List<String> matcherTexts, Duration duration, String createdBy, String comment) {
        if (matcherTexts == null || matcherTexts.isEmpty()) {
            throw new IllegalArgumentException("matchers: a silence needs at least one matcher, e.g. severity=WARNING");
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: must be positive, e.g. 2h");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (String text : matcherTexts) {
            try {
                matchers.add(LabelMatcher.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("matchers: " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        Silence silence = new Silence(UUID.randomUUID().toString(), List.copyOf(matchers), now, now.plus(duration),
                createdBy == null || createdBy.isBlank() ? "unknown" : createdBy, comment == null ? "" : comment);
        view.put(silence.id(), toJson(silence));
        return silence;
    }

    /**
     * What {@link #expire} did.
     *
     * @param alreadyExpired the silence had ended before (it is returned unchanged)
     */
    public record Expiry(Silence silence, boolean alreadyExpired) {

        /** Expiring a silence that has ended already changes nothing; this says so. */
        public String alreadyExpiredMessage() {
            return "silence '" + silence.id() + "' already expired at " + silence.endsAt().toString().replaceAll("\\.\\d+Z$", "Z")
                    + "; nothing changed";
        }
    }

    /** Ends a silence now; empty if there is no silence with this id. */
    public Optional<Expiry> expire(String id) {
        Optional<Silence> found = find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Silence s = found.get();
        Instant now = clock.instant();
        if (!s.endsAt().isAfter(now)) {
            return Optional.of(new Expiry(s, true));
        }
        Silence expired = new Silence(s.id(), s.matchers(), s.startsAt().isAfter(now) ? now : s.startsAt(), now, s.createdBy(), s.comment());
        view.put(id, toJson(expired));
        return Optional.of(new Expiry(expired, false));
    }

    public Optional<Silence> find(String id) {
        return Optional.ofNullable(view.get(id)).map(SilenceStore::fromJson);
    }

    /** All silences, active first, latest end first. */
    public List<Silence> list() {
        Instant now = clock.instant();
        return silences().stream()
                .sorted(Comparator.comparing((Silence s) -> !s.activeAt(now))
                        .thenComparing(Silence::endsAt, Comparator.reverseOrder()))
                .toList();
    }

    public boolean mutes(Map<String, String> labels) {
        Instant now = clock.instant();
        for (Silence s : silences()) {
            if (s.mutes(labels, now)) {
                return true;
            }
        }
        return false;
    }

    private List<Silence> silences() {
        Parsed p = parsed;
        long version = view.version();
        if (p.version() != version) {
            // the version is read before the entries: a change racing with this parse bumps it again, so the next call parses anew
            p = new Parsed(version, view.snapshot().values().stream().map(SilenceStore::fromJson).toList());
            parsed = p;
        }
        return p.silences();
    }

    public static ObjectNode toJsonNode(Silence s, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", s.id());
        n.putArray("matchers").addAll(s.matchers().stream().map(m -> (JsonNode) JSON.getNodeFactory().textNode(m.toString())).toList());
        n.put("startsAt", s.startsAt().toString());
        n.put("endsAt", s.endsAt().toString());
        n.put("createdBy", s.createdBy());
        n.put("comment", s.comment());
        if (now != null) {
            n.put("status", s.status(now));
        }
        return n;
    }

    static String toJson(Silence s) {
        return toJsonNode(s, null).toString();
    }

    static Silence fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<LabelMatcher> matchers = new ArrayList<>();
            n.get("matchers").forEach(m -> matchers.add(LabelMatcher.parse(m.asText())));
            return new Silence(n.get("id").asText(), List.copyOf(matchers), Instant.parse(n.get("startsAt").asText()),
                    Instant.parse(n.get("endsAt").asText()), n.path("createdBy").asText(""), n.path("comment").asText(""));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable silence in the silences topic: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        view.close();
    }
}
