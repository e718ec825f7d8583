package io.chokepoint.streams.policy;

import io.chokepoint.streams.state.BinarySerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Stores a {@link TariffRoute} in the policy table. */
public final class TariffRouteSerde extends BinarySerde<TariffRoute> {

    public TariffRouteSerde() {
        super("tariff route", 1);
    }

    @Override
    protected void write(TariffRoute route, DataOutputStream out) throws IOException {
        out.writeUTF(route.hsCode());
        out.writeUTF(route.imposingCountry());
        out.writeUTF(route.targetCountry());
        out.writeInt(route.changes().size());
        for (TariffRoute.Change c : route.changes()) {
            out.writeUTF(c.eventId());
            out.writeUTF(c.changeId());
            out.writeLong(c.announcedAt());
            out.writeLong(c.effectiveAt());
            out.writeDouble(c.previousRatePct());
            out.writeDouble(c.newRatePct());
            out.writeUTF(c.measure());
        }
    }

    @Override
    protected TariffRoute read(int formatVersion, DataInputStream in) throws IOException {
        String hs = in.readUTF();
        String imposing = in.readUTF();
        String target = in.readUTF();
        int n = in.readInt();
        List<TariffRoute.Change> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(new TariffRoute.Change(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(),
                    in.readDouble(), in.readDouble(), in.readUTF()));
        }
        return new TariffRoute(hs, imposing, target, changes);
    }
}
