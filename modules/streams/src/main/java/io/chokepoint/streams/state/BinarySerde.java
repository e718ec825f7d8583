package io.chokepoint.streams.state;

import io.chokepoint.events.serde.ByteSink;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Compact binary serde for the topology's own state-store values. These bytes never leave the
 * application (state stores and their changelogs), so they need no registry; a leading format
 * version lets a later release read what an earlier one wrote.
 */
public abstract class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /**
     * Each thread's buffer and streams, reused: a new 128-byte buffer per value grew three times for
     * a delay pane and, with a new DataInputStream's own buffers per read, was a tenth of what the
     * stream thread allocated ({@code chokepoint bench}, JFR).
     */
    private static final ThreadLocal<Codec> CODEC = ThreadLocal.withInitial(Codec::new);

    private final String what;
    private final byte version;

    protected BinarySerde(String what, int version) {
        this.what = what;
        this.version = (byte) version;
    }

    protected abstract void write(T value, DataOutputStream out) throws IOException;

    protected abstract T read(int formatVersion, DataInputStream in) throws IOException;

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        Codec codec = CODEC.get();
        Codec use = codec.writing ? new Codec() : codec; // a value written while another is (never today) gets its own buffer
        use.writing = true;
        try {
            use.sink.reset();
            use.out.writeByte(version);
            write(value, use.out);
            return use.sink.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot encode " + what + ": " + e.getMessage(), e);
        } finally {
            use.writing = false;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Codec codec = CODEC.get();
        Codec use = codec.reading ? new Codec() : codec;
        use.reading = true;
        try {
            use.input.wrap(data);
            int formatVersion = use.in.readByte();
            if (formatVersion > version) {
                throw new SerializationException(what + " was written in format " + formatVersion
                        + " by a newer release; this release reads up to format " + version);
            }
            return read(formatVersion, use.in);
        } catch (IOException e) {
            throw new SerializationException("cannot decode " + what + " from " + data.length + " bytes: " + e.getMessage(), e);
        } finally {
            use.input.wrap(EMPTY); // keeps no reference to the value's bytes
            use.reading = false;
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the format is fixed by this release
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** Writes a nullable string. */
    protected static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    protected static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static final byte[] EMPTY = new byte[0];

    /** One thread's buffer and streams; {@code writing}/{@code reading} guard against a nested use. */
    private static final class Codec {
        final ByteSink sink = new ByteSink(1024);
        final DataOutputStream out = new DataOutputStream(sink);
        final Input input = new Input();
        final DataInputStream in = new DataInputStream(input);
        boolean writing;
        boolean reading;
    }

    /**
     * The bytes being read, without ByteArrayInputStream's lock: DataInputStream reads an int or a
     * long a byte at a time, and taking a monitor per byte made decoding the delay panes a sixth of
     * the stream thread's time (JFR, {@code chokepoint bench}).
     */
    private static final class Input extends InputStream {
        private byte[] data = EMPTY;
        private int pos;

        void wrap(byte[] bytes) {
            this.data = bytes;
            this.pos = 0;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return data.length - pos;
        }
    }
}
