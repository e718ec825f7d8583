package io.chokepoint.alerts.silence;

import io.chokepoint.alerts.routing.LabelMatcher;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mutes the alerts that match all its matchers between {@code startsAt} and {@code endsAt}.
 * Expiring a silence sets {@code endsAt} to now; expired silences stay listed.
 */
public record Silence(String id, List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {

    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    public boolean mutes(Map<String, String> labels, Instant now) {
        return activeAt(now) && matchers.stream().allMatch(m -> m.matches(labels));
    }

    public String status(Instant now) {
        return now.isBefore(startsAt) ? "pending" : activeAt(now) ? "active" : "expired";
    }
}
