package io.chokepoint.streams.window;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;

import java.util.Optional;

/**
 * One delay observation (docs/streams.md, "Delay observation"): every milestone except BOOKED and
 * CANCELLED, delay = actual − planned in hours (negative = early), placed in windows by its
 * actual time.
 */
public record DelayObservation(String hsCode, String shipmentId, Milestone milestone, String route, long delayMs, long at) {

    public static final double MILLIS_PER_HOUR = 3_600_000.0;

    public static Optional<DelayObservation> of(ShipmentMilestone m) {
        if (m.getMilestone() == Milestone.BOOKED || m.getMilestone() == Milestone.CANCELLED) {
            return Optional.empty();
        }
        long actual = m.getActualAt().toEpochMilli();
        long planned = m.getPlannedAt().toEpochMilli();
        return Optional.of(new DelayObservation(m.getHsCode(), m.getShipmentId(), m.getMilestone(),
                m.getOrigin() + "-" + m.getDestination(), actual - planned, actual));
    }

    public double delayHours() {
        return delayMs / MILLIS_PER_HOUR;
    }

    public boolean isCustomsHold() {
        return milestone == Milestone.CUSTOMS_HOLD;
    }
}
