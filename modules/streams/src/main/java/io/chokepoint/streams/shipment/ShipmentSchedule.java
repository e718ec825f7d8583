package io.chokepoint.streams.shipment;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.config.ChokepointConfig;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When a shipment's next milestone is planned. A milestone event carries only its own planned
 * time, so the next one is planned at the last milestone's planned time plus the lead time of
 * that stage: BOOKED→DEPARTED, DEPARTED→CLEARED/ARRIVED (transit), CUSTOMS_HOLD→CLEARED,
 * CLEARED→ARRIVED. Lead times are configurable per stage ({@code streams.schedule.booked},
 * {@code .departed}, {@code .customs-hold}, {@code .cleared}).
 */
public record ShipmentSchedule(Map<Milestone, Duration> leadTimes) {

    public static final String PREFIX = "streams.schedule.";

    public ShipmentSchedule {
        leadTimes = Map.copyOf(leadTimes);
    }

    public static ShipmentSchedule defaults() {
        Map<Milestone, Duration> lead = new EnumMap<>(Milestone.class);
        lead.put(Milestone.BOOKED, Duration.ofDays(7));
        lead.put(Milestone.DEPARTED, Duration.ofDays(30));
        lead.put(Milestone.CUSTOMS_HOLD, Duration.ofDays(3));
        lead.put(Milestone.CLEARED, Duration.ofDays(2));
        return new ShipmentSchedule(lead);
    }

    public static ShipmentSchedule from(ChokepointConfig config) {
        Map<Milestone, Duration> lead = new EnumMap<>(defaults().leadTimes());
        for (Milestone m : lead.keySet()) {
            lead.put(m, config.getDuration(keyOf(m), lead.get(m)));
        }
        return new ShipmentSchedule(lead);
    }

    public static String keyOf(Milestone milestone) {
        return PREFIX + milestone.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Lifecycle rank; a milestone of lower rank arriving late never moves a shipment backwards. */
    public static int rank(Milestone milestone) {
        return switch (milestone) {
            case BOOKED -> 1;
            case DEPARTED -> 2;
            case CUSTOMS_HOLD -> 3;
            case CLEARED -> 4;
            case ARRIVED, CANCELLED -> 5;
            default -> 0;
        };
    }

    public static boolean isTerminal(Milestone milestone) {
        return milestone == Milestone.ARRIVED || milestone == Milestone.CANCELLED;
    }

    /** Planned time of the milestone that should follow {@code last}; empty for terminal or unknown stages. */
    public Optional<Long> nextPlannedAt(Milestone last, long lastPlannedAt) {
        Duration lead = leadTimes.get(last);
        return lead == null ? Optional.empty() : Optional.of(lastPlannedAt + lead.toMillis());
    }
}
