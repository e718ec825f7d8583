package io.chokepoint.rules.offline;

import io.chokepoint.events.Topics;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.OfflineAvroSerde;
import io.chokepoint.events.serde.SerdeFactory;

import java.util.Map;

/** The topic catalogue for an in-process replay: real topic names, the registry-free serde. */
public final class OfflineTopics {

    /** Never contacted: the offline serde ignores it, but the serde factory insists on a well-formed URL. */
    private static final String NO_REGISTRY = "http://offline.invalid";

    private OfflineTopics() {
    }

    public static Topics create() {
        return config().topics();
    }

    public static ChokepointConfig config() {
        return ChokepointConfig.of(Map.of(
                ChokepointConfig.BOOTSTRAP_SERVERS, "offline.invalid:9092",
                ChokepointConfig.SCHEMA_REGISTRY_URL, NO_REGISTRY,
                SerdeFactory.SERDE_CLASS, OfflineAvroSerde.class.getName()));
    }
}
