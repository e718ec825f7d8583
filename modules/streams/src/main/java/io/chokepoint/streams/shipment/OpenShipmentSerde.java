package io.chokepoint.streams.shipment;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.streams.state.BinarySerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Stores an {@link OpenShipment}. */
public final class OpenShipmentSerde extends BinarySerde<OpenShipment> {

    public OpenShipmentSerde() {
        super("open shipment", 1);
    }

    @Override
    protected void write(OpenShipment s, DataOutputStream out) throws IOException {
        out.writeUTF(s.shipmentId());
        out.writeUTF(s.lastMilestone().name());
        out.writeLong(s.plannedAt());
        out.writeLong(s.actualAt());
        out.writeBoolean(s.closed());
    }

    @Override
    protected OpenShipment read(int formatVersion, DataInputStream in) throws IOException {
        String id = in.readUTF();
        String name = in.readUTF();
        Milestone milestone;
        try {
            milestone = Milestone.valueOf(name);
        } catch (IllegalArgumentException e) {
            milestone = Milestone.UNKNOWN;
        }
        return new OpenShipment(id, milestone, in.readLong(), in.readLong(), in.readBoolean());
    }
}
