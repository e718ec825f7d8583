package io.chokepoint.streams.state;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.serde.AvroEncoding;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Stores emitted {@link CommodityDelayStats} in the queryable stats store as plain Avro binary in
 * this release's schema: the store is private to the application, so the registry is not needed
 * to read it (interactive queries keep working while the registry is down).
 */
public final class StatsRecordSerde extends BinarySerde<CommodityDelayStats> {

    private final SpecificDatumWriter<CommodityDelayStats> writer = new SpecificDatumWriter<>(CommodityDelayStats.class);
    private final SpecificDatumReader<CommodityDelayStats> reader = new SpecificDatumReader<>(CommodityDelayStats.class);

    public StatsRecordSerde() {
        super("commodity delay stats", 1);
    }

    @Override
    protected void write(CommodityDelayStats value, DataOutputStream out) throws IOException {
        // kept: the emitter writes the record to its topic next, in the same encoding
        byte[] avro = AvroEncoding.encodeAndKeep(writer, value);
        out.writeInt(avro.length);
        out.write(avro);
    }

    @Override
    protected CommodityDelayStats read(int formatVersion, DataInputStream in) throws IOException {
        byte[] avro = new byte[in.readInt()];
        in.readFully(avro);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(avro, null);
        return reader.read(null, decoder);
    }
}
