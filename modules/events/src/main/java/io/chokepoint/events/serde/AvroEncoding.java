package io.chokepoint.events.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

import java.io.IOException;

/**
 * Avro binary encoding through one buffered encoder and buffer per thread. A new buffered encoder
 * allocates 2 KiB, and the direct one writes byte by byte into a locking ByteArrayOutputStream:
 * at 5,600 commodities (3.5 stats records per input, each encoded twice, for its store and its
 * topic) the allocation alone was 4 % of the stream thread (JFR, {@code chokepoint bench}), and
 * {@link #encodeAndKeep} lets the second of those two encodings reuse the first.
 */
public final class AvroEncoding {

    private static final byte[] NO_PREFIX = new byte[0];
    private static final ThreadLocal<AvroEncoding> PER_THREAD = ThreadLocal.withInitial(AvroEncoding::new);

    private final ByteSink buffer = new ByteSink(512);
    private BinaryEncoder encoder;
    /** A record whose encoding {@link #encodeAndKeep} kept, its schema and its encoding. */
    private Object kept;
    private Schema keptSchema;
    private byte[] keptBody;

    private AvroEncoding() {
    }

    /** The bytes of {@code prefix} followed by the Avro binary encoding of {@code value}. */
    public static <T> byte[] encode(byte[] prefix, DatumWriter<T> writer, T value) throws IOException {
        AvroEncoding state = PER_THREAD.get();
        ByteSink out = state.buffer;
        out.reset();
        out.write(prefix, 0, prefix.length);
        if (value == state.kept && value instanceof GenericContainer record && record.getSchema() == state.keptSchema) {
            out.write(state.keptBody, 0, state.keptBody.length);
        } else {
            state.encoder = EncoderFactory.get().binaryEncoder(out, state.encoder);
            writer.write(value, state.encoder);
            state.encoder.flush();
        }
        return out.toByteArray();
    }

    /**
     * The Avro binary encoding of {@code value}, kept for this one instance on this thread: the next
     * {@link #encode} of the very same instance in the same schema (a stats record's copy on its
     * topic, after its copy in a state store) reuses it instead of encoding it again. Only for records
     * that are not changed once built.
     */
    public static <T extends GenericContainer> byte[] encodeAndKeep(DatumWriter<T> writer, T value) throws IOException {
        AvroEncoding state = PER_THREAD.get();
        state.kept = null; // encode afresh
        byte[] body = encode(NO_PREFIX, writer, value);
        state.kept = value;
        state.keptSchema = value.getSchema();
        state.keptBody = body;
        return body;
    }
}
