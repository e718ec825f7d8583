package io.chokepoint.streams.policy;

import java.util.Collection;
import java.util.Optional;

/**
 * The tariff part of a stats record: the highest rate in force on the commodity across its
 * routes, and the latest announced change (its size in percentage points and when).
 */
public record TariffContext(Double currentRatePct, Double lastChangePoints, Long lastChangeAt) {

    public static final TariffContext NONE = new TariffContext(null, null, null);

    public static TariffContext of(Collection<TariffRoute> routes, long asOf) {
        Double highest = null;
        TariffRoute.Change latest = null;
        for (TariffRoute route : routes) {
            Optional<Double> rate = route.rateAt(asOf);
            if (rate.isPresent() && (highest == null || rate.get() > highest)) {
                highest = rate.get();
            }
            Optional<TariffRoute.Change> change = route.latestAnnouncedBy(asOf);
            if (change.isPresent() && (latest == null || change.get().announcedAt() > latest.announcedAt())) {
                latest = change.get();
            }
        }
        return latest == null && highest == null ? NONE
                : new TariffContext(highest, latest == null ? null : latest.points(), latest == null ? null : latest.announcedAt());
    }
}
