package io.chokepoint.events.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry-free Avro serde for offline replays ({@code chokepoint rules test} and
 * {@code rules backtest}), where records never leave the process: the bytes are the record's
 * schema full name, a zero byte, then Avro binary. Plugged in through
 * {@code chokepoint.avro.serde.class}, so the topologies run unchanged; never used on a cluster,
 * where the registry's wire format is the contract.
 */
public final class OfflineAvroSerde implements Serde<SpecificRecord> {

    // one reader and one writer per record type: building them resolves the schema, which cost a
    // backtest more than the decoding itself
    private static final Map<String, SpecificDatumReader<SpecificRecord>> READERS = new ConcurrentHashMap<>();
    private static final Map<Schema, SpecificDatumWriter<SpecificRecord>> WRITERS = new ConcurrentHashMap<>();

    @Override
    public Serializer<SpecificRecord> serializer() {
        return (topic, record) -> {
            if (record == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(256);
                out.write(record.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
                out.write(0);
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                WRITERS.computeIfAbsent(record.getSchema(), SpecificDatumWriter::new).write(record, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot write " + record.getSchema().getFullName(), e);
            }
        };
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            int zero = 0;
            while (zero < bytes.length && bytes[zero] != 0) {
                zero++;
            }
            if (zero == bytes.length) {
                throw new SerializationException("not an offline Avro record on " + topic);
            }
            String name = new String(bytes, 0, zero, StandardCharsets.UTF_8);
            try {
                SpecificDatumReader<SpecificRecord> reader = READERS.computeIfAbsent(name,
                        n -> new SpecificDatumReader<>(SpecificData.get().getSchema(load(n))));
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, zero + 1, bytes.length - zero - 1, null);
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read " + name + " on " + topic, e);
            }
        };
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new SerializationException("no generated class " + name, e);
        }
    }
}
