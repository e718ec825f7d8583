package io.chokepoint.events;

import io.chokepoint.events.Topic.CleanupPolicy;
import io.chokepoint.events.Topic.Role;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.serde.SerdeFactory;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;
import java.util.List;

/**
 * The catalogue of Chokepoint's topics. Every topic keyed by HS code has the same partition
 * count, so inputs are co-partitioned and joins need no repartitioning.
 *
 * <p>Retention is unlimited by default: imported history and simulated stories carry event
 * timestamps far in the past, which time-based retention would delete at once.
 */
public final class Topics {

    public static final int DEFAULT_PARTITIONS = 6;

    private final Topic<String, ExportLicenseDecision> exportLicenses;
    private final Topic<String, TariffChange> tariffChanges;
    private final Topic<String, ShipmentMilestone> shipmentMilestones;
    private final Topic<String, CommodityDelayStats> commodityDelayStats;
    private final Topic<String, CommodityDelayStats> commodityDelayCurrent;
    private final Topic<String, DisruptionAlert> disruptionAlerts;
    private final Topic<byte[], DeadLetter> deadLetters;
    private final Topic<String, String> alertRules;
    private final Topic<String, DeadLetter> alertDeadLetters;

    public Topics(String prefix, int partitions, SerdeFactory serdes) {
        String p = prefix == null ? "" : prefix;
        Serde<String> key = Serdes.String();
        Duration forever = null;
        this.exportLicenses = new Topic<>(p + "export-licenses", key, serdes.valueSerde(ExportLicenseDecision.class),
                partitions, CleanupPolicy.DELETE, forever, Role.INPUT);
        this.tariffChanges = new Topic<>(p + "tariff-changes", key, serdes.valueSerde(TariffChange.class),
                partitions, CleanupPolicy.DELETE, forever, Role.INPUT);
        this.shipmentMilestones = new Topic<>(p + "shipment-milestones", key, serdes.valueSerde(ShipmentMilestone.class),
                partitions, CleanupPolicy.DELETE, forever, Role.INPUT);
        this.commodityDelayStats = new Topic<>(p + "commodity-delay-stats", key, serdes.valueSerde(CommodityDelayStats.class),
                partitions, CleanupPolicy.DELETE, forever, Role.OUTPUT);
        // a table: only each commodity's newest live view matters, so compaction keeps the topic small
        this.commodityDelayCurrent = new Topic<>(p + "commodity-delay-current", key, serdes.valueSerde(CommodityDelayStats.class),
                partitions, CleanupPolicy.COMPACT, forever, Role.OUTPUT);
        this.disruptionAlerts = new Topic<>(p + "disruption-alerts", key, serdes.valueSerde(DisruptionAlert.class),
                partitions, CleanupPolicy.DELETE, forever, Role.OUTPUT);
        this.deadLetters = new Topic<>(p + "chokepoint-dlq", Serdes.ByteArray(), serdes.valueSerde(DeadLetter.class),
                partitions, CleanupPolicy.DELETE, forever, Role.DEAD_LETTER);
        this.alertRules = new Topic<>(p + "alert-rules", key, Serdes.String(),
                1, CleanupPolicy.COMPACT, forever, Role.CONTROL);
        this.alertDeadLetters = new Topic<>(p + "alerts-dlq", key, serdes.valueSerde(DeadLetter.class),
                partitions, CleanupPolicy.DELETE, forever, Role.DEAD_LETTER);
    }

    public Topic<String, ExportLicenseDecision> exportLicenses() {
        return exportLicenses;
    }

    public Topic<String, TariffChange> tariffChanges() {
        return tariffChanges;
    }

    public Topic<String, ShipmentMilestone> shipmentMilestones() {
        return shipmentMilestones;
    }

    /** Exactly one final record per commodity and window. */
    public Topic<String, CommodityDelayStats> commodityDelayStats() {
        return commodityDelayStats;
    }

    /** The live view, one record per commodity (compacted): the stats of its trailing window as of now, read as a table. */
    public Topic<String, CommodityDelayStats> commodityDelayCurrent() {
        return commodityDelayCurrent;
    }

    public Topic<String, DisruptionAlert> disruptionAlerts() {
        return disruptionAlerts;
    }

    /** Records any pipeline stage could not read or process, raw bytes kept. */
    public Topic<byte[], DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Alert rules as data: key = rule id, value = the rule document; a tombstone deletes the rule. */
    public Topic<String, String> alertRules() {
        return alertRules;
    }

    /** Notifications no receiver could deliver after the last retry. */
    public Topic<String, DeadLetter> alertDeadLetters() {
        return alertDeadLetters;
    }

    public List<Topic<?, ?>> all() {
        return List.of(exportLicenses, tariffChanges, shipmentMilestones, commodityDelayStats, commodityDelayCurrent, disruptionAlerts,
                deadLetters, alertRules, alertDeadLetters);
    }

    /** The topics keyed by HS code that topologies join, which must be co-partitioned. */
    public List<Topic<?, ?>> inputs() {
        return all().stream().filter(t -> t.role() == Role.INPUT).toList();
    }
}
