package io.chokepoint.streams.window;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;

import java.util.Optional;

/**
 * One delay observation (see DESIGN, "Delay observation"): every milestone except BOOKED and
 * CANCELLED, delay = actual − planned in hours (negative = early), placed in windows by its
 * actual time.
 */
public record DelayObservation(String hsCode, String shipmentId, Milestone milestone, String route, double delayHours, long at) {

    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    public static Optional<DelayObservation> of(ShipmentMilestone m) {
        if (m.getMilestone() == Milestone.BOOKED || m.getMilestone() == Milestone.CANCELLED) {
            return Optional.empty();
        }
        long actual = m.getActualAt().toEpochMilli();
        long planned = m.getPlannedAt().toEpochMilli();
        return Optional.of(new DelayObservation(m.getHsCode(), m.getShipmentId(), m.getMilestone(),
                m.getOrigin() + "-" + m.getDestination(), (actual - planned) / MILLIS_PER_HOUR, actual));
    }

    public boolean isCustomsHold() {
        return milestone == Milestone.CUSTOMS_HOLD;
    }

    /** The key under which a repeat of this observation (a re-imported file) is recognised. */
    public String dedupKey() {
        return "M|" + hsCode + "|" + shipmentId + "|" + milestone.name();
    }
}
