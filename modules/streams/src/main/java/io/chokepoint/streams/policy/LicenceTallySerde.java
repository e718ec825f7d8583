package io.chokepoint.streams.policy;

import io.chokepoint.streams.state.BinarySerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Stores a {@link LicenceTally} in the licence window store. */
public final class LicenceTallySerde extends BinarySerde<LicenceTally> {

    public LicenceTallySerde() {
        super("licence tally", 1);
    }

    @Override
    protected void write(LicenceTally t, DataOutputStream out) throws IOException {
        out.writeLong(t.approved());
        out.writeLong(t.denied());
        out.writeLong(t.revoked());
        out.writeLong(t.pending());
    }

    @Override
    protected LicenceTally read(int formatVersion, DataInputStream in) throws IOException {
        return new LicenceTally(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }
}
