package io.chokepoint.streams.shipment;

import io.chokepoint.events.avro.Milestone;

/**
 * What the topology remembers about a shipment that has not arrived: its furthest milestone so
 * far with that milestone's planned and actual time. {@code closed} marks an ARRIVED or
 * CANCELLED shipment kept a while so a straggling earlier milestone cannot reopen it.
 */
public record OpenShipment(String shipmentId, Milestone lastMilestone, long plannedAt, long actualAt, boolean closed) {

    /** The shipment after {@code milestone}: moves forward only, never back. */
    public OpenShipment advance(Milestone milestone, long planned, long actual) {
        if (closed) {
            return this;
        }
        int current = ShipmentSchedule.rank(lastMilestone);
        int next = ShipmentSchedule.rank(milestone);
        if (next < current || (next == current && actual <= actualAt)) {
            return this;
        }
        return new OpenShipment(shipmentId, milestone, planned, actual, ShipmentSchedule.isTerminal(milestone));
    }

    public static OpenShipment first(String shipmentId, Milestone milestone, long planned, long actual) {
        return new OpenShipment(shipmentId, milestone, planned, actual, ShipmentSchedule.isTerminal(milestone));
    }

    /** True when the next milestone was due more than {@code marginMs} before {@code now}. */
    public boolean isOverdue(ShipmentSchedule schedule, long marginMs, long now) {
        if (closed) {
            return false;
        }
        return schedule.nextPlannedAt(lastMilestone, plannedAt).map(due -> now > due + marginMs).orElse(false);
    }
}
