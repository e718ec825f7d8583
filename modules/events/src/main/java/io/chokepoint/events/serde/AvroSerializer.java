package io.chokepoint.events.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes Avro records in the Confluent wire format, registering (or looking up) the schema
 * under the TopicNameStrategy subject {@code <topic>-value} / {@code <topic>-key}.
 * Honours {@code auto.register.schemas} and {@code use.latest.version}.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final Map<String, Integer> latestIdBySubject = new ConcurrentHashMap<>();

    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = new SchemaRegistryClient(RegistrySettings.from(configs));
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure(): set " + RegistrySettings.URL);
        }
        Schema schema = record.getSchema();
        String subject = subjectOf(topic, isKey);
        int id = schemaId(subject, schema);
        byte[] header = ByteBuffer.allocate(WireFormat.HEADER_SIZE).put(WireFormat.MAGIC_BYTE).putInt(id).array();
        try {
            return AvroEncoding.encode(header, writers.computeIfAbsent(schema, AvroSerializer::writerFor), record);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private int schemaId(String subject, Schema schema) {
        RegistrySettings settings = registry.settings();
        if (settings.autoRegisterSchemas()) {
            return registry.register(subject, schema);
        }
        if (settings.useLatestVersion()) {
            return latestIdBySubject.computeIfAbsent(subject, s -> {
                SchemaRegistryClient.RegisteredSchema latest = registry.latest(s);
                if (!latest.schema().equals(schema)) {
                    throw new SchemaRegistryException("use.latest.version is set but the latest schema of subject '" + s
                            + "' (version " + latest.version() + ", id " + latest.id() + ") is not the schema of "
                            + schema.getFullName() + " this application was built with; upgrade the application or register its schema",
                            s, 200, 0, null);
                }
                return latest.id();
            });
        }
        return registry.lookup(subject, schema);
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(Schema schema) {
        if (SpecificData.get().getClass(schema) != null && SpecificRecord.class.isAssignableFrom(SpecificData.get().getClass(schema))) {
            return new SpecificDatumWriter<>(schema);
        }
        return new GenericDatumWriter<>(schema);
    }

    static String subjectOf(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
