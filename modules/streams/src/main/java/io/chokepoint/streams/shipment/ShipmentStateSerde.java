package io.chokepoint.streams.shipment;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.streams.state.BinarySerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Stores a {@link ShipmentState}. Format 1 (earlier releases' open shipment, without counted
 * observations or timer) is still read: such a shipment gets its timer when the index is rebuilt,
 * but the milestones it had counted are not known to the de-duplication.
 */
public final class ShipmentStateSerde extends BinarySerde<ShipmentState> {

    public ShipmentStateSerde() {
        super("shipment state", 2);
    }

    @Override
    protected void write(ShipmentState s, DataOutputStream out) throws IOException {
        out.writeUTF(s.shipmentId());
        out.writeUTF(s.lastMilestone().name());
        out.writeLong(s.plannedAt());
        out.writeLong(s.actualAt());
        out.writeBoolean(s.closed());
        int observed = 0;
        for (long at : s.observedAt()) {
            if (at != ShipmentState.NOT_OBSERVED) {
                observed++;
            }
        }
        out.writeByte(observed);
        Milestone[] milestones = Milestone.values();
        for (int i = 0; i < s.observedAt().length; i++) {
            if (s.observedAt()[i] != ShipmentState.NOT_OBSERVED) {
                out.writeUTF(milestones[i].name());
                out.writeLong(s.observedAt()[i]);
            }
        }
        out.writeLong(s.timerAt());
        out.writeBoolean(s.overdue());
    }

    @Override
    protected ShipmentState read(int formatVersion, DataInputStream in) throws IOException {
        String id = in.readUTF();
        Milestone milestone = milestone(in.readUTF());
        long planned = in.readLong();
        long actual = in.readLong();
        boolean closed = in.readBoolean();
        ShipmentState state = ShipmentState.first(id, milestone, planned, actual);
        state = new ShipmentState(id, milestone, planned, actual, closed, state.observedAt(), ShipmentState.NO_TIMER, false);
        if (formatVersion == 1) {
            return state;
        }
        int observed = in.readUnsignedByte();
        for (int i = 0; i < observed; i++) {
            Milestone m = milestone(in.readUTF());
            state = state.withObservation(m, in.readLong());
        }
        return state.withTimer(in.readLong(), in.readBoolean());
    }

    private static Milestone milestone(String name) {
        try {
            return Milestone.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Milestone.UNKNOWN;
        }
    }
}
