package io.chokepoint.events.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/** The Confluent wire format: magic byte {@code 0x00}, 4-byte big-endian schema id, Avro binary. */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Reads the schema id from the header, refusing bytes that are not in this format. */
    public static int schemaId(String topic, byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            throw new SerializationException("record on topic '" + topic + "' has " + bytes.length
                    + " bytes, too short for the schema-registry wire format (magic byte + 4-byte schema id)");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("record on topic '" + topic + "' starts with byte 0x"
                    + String.format("%02x", bytes[0]) + ", not the schema-registry magic byte 0x00; was it written by another serializer?");
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
