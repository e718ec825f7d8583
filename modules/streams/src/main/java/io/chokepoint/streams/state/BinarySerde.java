package io.chokepoint.streams.state;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Compact binary serde for the topology's own state-store values. These bytes never leave the
 * application (state stores and their changelogs), so they need no registry; a leading format
 * version lets a later release read what an earlier one wrote.
 */
public abstract class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            write(value, out);
        } catch (IOException e) {
            throw new SerializationException("cannot encode " + what + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int formatVersion = in.readByte();
            if (formatVersion > version) {
                throw new SerializationException(what + " was written in format " + formatVersion
                        + " by a newer release; this release reads up to format " + version);
            }
            return read(formatVersion, in);
        } catch (IOException e) {
            throw new SerializationException("cannot decode " + what + " from " + data.length + " bytes: " + e.getMessage(), e);
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
}
