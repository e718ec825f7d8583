package io.chokepoint.rules.offline;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.OfflineAvroSerde;
import io.chokepoint.events.serde.SerdeFactory;
import org.apache.avro.specific.SpecificRecord;

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

    /** The topic an input event is read from and its key (the HS code), as the producers write it. */
    public record Input(Topic<String, ? extends SpecificRecord> topic, String key) {
    }

    /** Where a replay feeds {@code event}: milestones, tariff changes and licence decisions each on their topic. */
    public static Input inputOf(Topics topics, SpecificRecord event) {
        if (event instanceof ShipmentMilestone m) {
            return new Input(topics.shipmentMilestones(), m.getHsCode());
        } else if (event instanceof TariffChange c) {
            return new Input(topics.tariffChanges(), c.getHsCode());
        } else if (event instanceof ExportLicenseDecision d) {
            return new Input(topics.exportLicenses(), d.getHsCode());
        }
        throw new IllegalArgumentException("not an input event: " + event.getSchema().getFullName());
    }
}
