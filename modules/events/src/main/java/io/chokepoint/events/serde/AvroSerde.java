package io.chokepoint.events.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/** Serde for one generated Avro class over the schema registry (Confluent wire format). */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private AvroSerializer<T> serializer;
    private AvroDeserializer<T> deserializer;

    public AvroSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(configs));
        this.serializer = new AvroSerializer<>(registry, isKey);
        this.deserializer = new AvroDeserializer<>(registry, type);
    }

    @Override
    public Serializer<T> serializer() {
        requireConfigured();
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        requireConfigured();
        return deserializer;
    }

    private void requireConfigured() {
        if (serializer == null) {
            throw new IllegalStateException("AvroSerde<" + type.getSimpleName() + "> used before configure()");
        }
    }
}
