package io.chokepoint.rules.evaluation;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The evaluator's state records (episodes, cursors, change detectors) in binary: a version byte,
 * then the fields in order. Episodes and cursors were JSON, and printing and parsing them on every
 * stats record was a fifth of a backtest; what a previous version wrote as JSON (first byte '{')
 * is still read, so an upgrade keeps its episodes. A new field needs a new version byte and a
 * reader for the old one.
 */
abstract class BinaryStateSerde<T> implements Serde<T> {

    private static final byte VERSION = 1;

    private final Class<T> type;
    /** How an earlier version stored this state, still read; null when it was binary from the start. */
    private final JsonSerde<T> earlierJson;

    BinaryStateSerde(Class<T> type, boolean earlierJson) {
        this.type = type;
        this.earlierJson = earlierJson ? new JsonSerde<>(type) : null;
    }

    abstract void write(Out out, T value);

    abstract T read(ByteBuffer in);

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            Out out = new Out();
            out.buf[0] = VERSION;
            out.pos = 1;
            write(out, value);
            return Arrays.copyOf(out.buf, out.pos);
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        Deserializer<T> json = earlierJson == null ? null : earlierJson.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (json != null && bytes.length > 0 && bytes[0] == '{') {
                return json.deserialize(topic, bytes);
            }
            if (bytes.length == 0 || bytes[0] != VERSION) {
                throw new SerializationException(type.getSimpleName() + " state of unknown version "
                        + (bytes.length == 0 ? "(empty)" : Byte.toString(bytes[0])) + " (this build writes " + VERSION + ")");
            }
            try {
                return read(ByteBuffer.wrap(bytes, 1, bytes.length - 1));
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + ": truncated or corrupt state", e);
            }
        };
    }

    /** A growable big-endian buffer: strings as length and UTF-8 bytes, absent values as a 0 flag. */
    static final class Out {
        byte[] buf = new byte[256];
        int pos;

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        Out putLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
            return this;
        }

        Out putInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
            return this;
        }

        Out putDouble(double v) {
            return putLong(Double.doubleToRawLongBits(v));
        }

        Out putBoolean(boolean v) {
            ensure(1);
            buf[pos++] = (byte) (v ? 1 : 0);
            return this;
        }

        Out putString(String v) {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, pos, utf8.length);
            pos += utf8.length;
            return this;
        }

        Out putNullable(String v) {
            putBoolean(v != null);
            return v == null ? this : putString(v);
        }

        Out putNullable(Double v) {
            putBoolean(v != null);
            return v == null ? this : putDouble(v);
        }

        Out putNullable(Long v) {
            putBoolean(v != null);
            return v == null ? this : putLong(v);
        }
    }

    static boolean getBoolean(ByteBuffer in) {
        return in.get() != 0;
    }

    static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static String getNullableString(ByteBuffer in) {
        return getBoolean(in) ? getString(in) : null;
    }

    static Double getNullableDouble(ByteBuffer in) {
        return getBoolean(in) ? in.getDouble() : null;
    }

    static Long getNullableLong(ByteBuffer in) {
        return getBoolean(in) ? in.getLong() : null;
    }
}
