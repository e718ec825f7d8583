package io.chokepoint.streams.policy;

import io.chokepoint.events.avro.TariffChange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The tariff history of one route of one commodity (an imposing country taxing goods from a
 * target country): its recent changes ordered by effective time, so the rate in force at any
 * instant is known even when a change is announced before it takes effect or arrives out of order.
 */
public record TariffRoute(String hsCode, String imposingCountry, String targetCountry, List<Change> changes) {

    /** How many changes per route are kept; older ones no longer decide any current rate. */
    public static final int KEPT_CHANGES = 16;

    public record Change(String eventId, String changeId, long announcedAt, long effectiveAt,
                         double previousRatePct, double newRatePct, String measure) {
        public double points() {
            return newRatePct - previousRatePct;
        }
    }

    public TariffRoute {
        changes = List.copyOf(changes);
    }

    public static String keyOf(String hsCode, String imposing, String target) {
        return hsCode + "|" + imposing + "|" + target;
    }

    public String key() {
        return keyOf(hsCode, imposingCountry, targetCountry);
    }

    public String route() {
        return imposingCountry + "<-" + targetCountry;
    }

    public static TariffRoute empty(TariffChange c) {
        return new TariffRoute(c.getHsCode(), c.getImposingCountry(), c.getTargetCountry(), List.of());
    }

    /** This route with the change added (a repeat of a known event id replaces it, so re-imports are harmless). */
    public TariffRoute with(TariffChange c) {
        List<Change> next = new ArrayList<>(changes);
        next.removeIf(existing -> existing.eventId().equals(c.getEventId()));
        next.add(new Change(c.getEventId(), c.getChangeId(), c.getAnnouncedAt().toEpochMilli(), c.getEffectiveAt().toEpochMilli(),
                c.getPreviousRatePct(), c.getNewRatePct(), c.getMeasure().name()));
        next.sort(Comparator.comparingLong(Change::effectiveAt).thenComparingLong(Change::announcedAt).thenComparing(Change::eventId));
        while (next.size() > KEPT_CHANGES) {
            next.remove(0);
        }
        return new TariffRoute(hsCode, imposingCountry, targetCountry, next);
    }

    /**
     * The rate in force at {@code t}, counting only changes announced by then: the newest change
     * already effective, else the rate before the first announced change; empty when nothing was
     * known about this route at {@code t}.
     */
    public Optional<Double> rateAt(long t) {
        Change inForce = null;
        Change firstPending = null;
        for (Change c : changes) {
            if (c.announcedAt() > t) {
                continue;
            }
            if (c.effectiveAt() <= t) {
                inForce = c;
            } else if (firstPending == null) {
                firstPending = c;
            }
        }
        if (inForce != null) {
            return Optional.of(inForce.newRatePct());
        }
        return firstPending == null ? Optional.empty() : Optional.of(firstPending.previousRatePct());
    }

    /** The most recently announced change known at {@code t}. */
    public Optional<Change> latestAnnouncedBy(long t) {
        return changes.stream().filter(c -> c.announcedAt() <= t)
                .max(Comparator.comparingLong(Change::announcedAt).thenComparing(Change::eventId));
    }
}
