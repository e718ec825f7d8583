package io.chokepoint.events.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Confluent wire-format Avro: fetches the writer schema by id (cached) and resolves it
 * against the reader schema — the target class's, so records written by older or newer
 * producers are read under the schema evolution rules.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    private Schema readerSchema;
    private boolean specificReader = true;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    public AvroDeserializer() {
    }

    /** A deserializer into {@code type}; a null type reads generic records in the writer's schema. */
    public AvroDeserializer(SchemaRegistryClient registry, Class<? extends SpecificRecord> type) {
        this.registry = registry;
        this.readerSchema = type == null ? null : SpecificData.get().getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        RegistrySettings settings = RegistrySettings.from(configs);
        this.registry = new SchemaRegistryClient(settings);
        this.specificReader = settings.specificAvroReader();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure(): set " + RegistrySettings.URL);
        }
        int id = WireFormat.schemaId(topic, bytes);
        DatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                bytes.length - WireFormat.HEADER_SIZE, null);
        try {
            return (T) reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read Avro record with schema id " + id + " from topic '" + topic
                    + "': " + e.getMessage(), e);
        }
    }

    private DatumReader<Object> readerFor(int id) {
        Schema writer = registry.schemaById(id);
        Schema reader = readerSchema;
        if (reader == null && specificReader) {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
                reader = SpecificData.get().getSchema(generated);
            }
        }
        if (reader == null) {
            return new GenericDatumReader<>(writer);
        }
        return new SpecificDatumReader<>(writer, reader);
    }
}
