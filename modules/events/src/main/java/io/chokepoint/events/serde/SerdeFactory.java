package io.chokepoint.events.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes the configured value serdes for the Avro topics. By default our own {@link AvroSerde};
 * a user can name another Kafka {@code Serde} class (e.g. Confluent's
 * {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}) under {@link #SERDE_CLASS}, and it
 * receives the same registry configuration.
 */
public final class SerdeFactory {

    public static final String SERDE_CLASS = "chokepoint.avro.serde.class";

    private final Map<String, Object> configs;
    private final String serdeClass;

    public SerdeFactory(Map<String, ?> configs) {
        this.configs = new HashMap<>(configs);
        Object custom = configs.get(SERDE_CLASS);
        this.serdeClass = custom == null ? null : custom.toString();
        RegistrySettings.from(configs); // validate early: a bad URL fails at start-up, not on the first record
    }

    public Map<String, Object> configs() {
        return Map.copyOf(configs);
    }

    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        Serde<T> serde = serdeClass == null ? new AvroSerde<>(type) : instantiate(serdeClass);
        serde.configure(configs, false);
        return serde;
    }

    @SuppressWarnings("unchecked")
    private static <T> Serde<T> instantiate(String className) {
        try {
            return (Serde<T>) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ConfigException(SERDE_CLASS, className, "class not found on the classpath");
        } catch (ReflectiveOperationException | ClassCastException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ConfigException(SERDE_CLASS, className, "cannot be instantiated as a Kafka Serde: " + cause);
        }
    }
}
