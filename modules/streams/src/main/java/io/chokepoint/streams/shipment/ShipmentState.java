package io.chokepoint.streams.shipment;

import io.chokepoint.events.avro.Milestone;

import java.util.Arrays;

/**
 * What the topology remembers about a shipment: its furthest milestone so far (with that
 * milestone's planned and actual time), the time of each delay observation already counted —
 * which is the de-duplication of (shipment, milestone) and what makes the distinct-shipment count
 * of a window exact — and its one timer in the shipment-timers index. {@code closed} marks an
 * ARRIVED or CANCELLED shipment, kept a while so a straggling earlier milestone cannot reopen it
 * and a repeat is still recognised.
 *
 * @param observedAt actual time of the counted observation per milestone ordinal, {@link #NOT_OBSERVED} when none
 * @param timerAt    when the shipment's timer fires (due + margin, or when it is forgotten); {@link #NO_TIMER} when none
 * @param overdue    whether it is counted in its commodity's overdue shipments
 */
public record ShipmentState(String shipmentId, Milestone lastMilestone, long plannedAt, long actualAt, boolean closed,
                            long[] observedAt, long timerAt, boolean overdue) {

    public static final long NOT_OBSERVED = Long.MIN_VALUE;
    public static final long NO_TIMER = Long.MIN_VALUE;
    private static final int MILESTONES = Milestone.values().length;

    public static ShipmentState first(String shipmentId, Milestone milestone, long planned, long actual) {
        long[] observed = new long[MILESTONES];
        Arrays.fill(observed, NOT_OBSERVED);
        return new ShipmentState(shipmentId, milestone, planned, actual, ShipmentSchedule.isTerminal(milestone), observed, NO_TIMER, false);
    }

    /** The shipment after {@code milestone}: moves forward only, never back. */
    public ShipmentState advance(Milestone milestone, long planned, long actual) {
        if (closed) {
            return this;
        }
        int current = ShipmentSchedule.rank(lastMilestone);
        int next = ShipmentSchedule.rank(milestone);
        if (next < current || (next == current && actual <= actualAt)) {
            return this;
        }
        return new ShipmentState(shipmentId, milestone, planned, actual, ShipmentSchedule.isTerminal(milestone), observedAt, timerAt, overdue);
    }

    public boolean hasObserved(Milestone milestone) {
        return observedAt[milestone.ordinal()] != NOT_OBSERVED;
    }

    public ShipmentState withObservation(Milestone milestone, long at) {
        long[] observed = observedAt.clone();
        observed[milestone.ordinal()] = at;
        return new ShipmentState(shipmentId, lastMilestone, plannedAt, actualAt, closed, observed, timerAt, overdue);
    }

    public ShipmentState withTimer(long at, boolean isOverdue) {
        return new ShipmentState(shipmentId, lastMilestone, plannedAt, actualAt, closed, observedAt, at, isOverdue);
    }

    /**
     * The pane indexes of the nearest observations already counted at or before, and at or after,
     * pane {@code pane} ({@code Long.MIN_VALUE} / {@code Long.MAX_VALUE} when none).
     */
    public long[] neighbourPanes(long pane, long paneMs) {
        long before = Long.MIN_VALUE;
        long after = Long.MAX_VALUE;
        for (long at : observedAt) {
            if (at == NOT_OBSERVED) {
                continue;
            }
            long p = Math.floorDiv(at, paneMs);
            if (p <= pane) {
                before = Math.max(before, p);
            }
            if (p >= pane) {
                after = Math.min(after, p);
            }
        }
        return new long[]{before, after};
    }

    /** When the next milestone is due, empty for closed shipments and unknown stages. */
    public java.util.Optional<Long> dueAt(ShipmentSchedule schedule) {
        return closed ? java.util.Optional.empty() : schedule.nextPlannedAt(lastMilestone, plannedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShipmentState s && s.shipmentId.equals(shipmentId) && s.lastMilestone == lastMilestone
                && s.plannedAt == plannedAt && s.actualAt == actualAt && s.closed == closed && Arrays.equals(s.observedAt, observedAt)
                && s.timerAt == timerAt && s.overdue == overdue;
    }

    @Override
    public int hashCode() {
        return shipmentId.hashCode() * 31 + Long.hashCode(actualAt);
    }

    @Override
    public String toString() {
        return "ShipmentState[" + shipmentId + " " + lastMilestone + " planned " + plannedAt + " actual " + actualAt
                + (closed ? " closed" : "") + " observed " + Arrays.toString(observedAt) + " timer " + timerAt + (overdue ? " overdue" : "") + "]";
    }
}
