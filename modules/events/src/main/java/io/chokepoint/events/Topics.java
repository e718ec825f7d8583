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
 * The catalogue of every topic Chokepoint uses, with its name, serdes, partitions, cleanup policy,
 * retention and role: {@code topics create} creates them all, and the Strimzi resources under
 * {@code deploy/strimzi} declare the same. Every topic keyed by HS code has the same partition
 * count, so inputs are co-partitioned and joins need no repartitioning.
 *
 * <p>Kafka judges a record's age by its timestamp, and the inputs and everything the topologies
 * derive from them carry event time: imported history and simulated stories lie months or years
 * in the past, and the topologies stamp a final with its window's end, a live view with the
 * watermark and an alert with the story time it was evaluated at. Retention by age would delete
 * such records at once (the demo's output, of a 2025 story, within minutes), so:
 * <ul>
 *   <li>inputs are kept without limit: they are the facts every output and every state store is
 *       recomputed from when an application is reset;</li>
 *   <li>the live view is compacted: one record per commodity;</li>
 *   <li>finals and alerts are bounded by size. Finals 1 GiB per partition: a final takes about
 *       160 bytes, so with the default 6 partitions that is about ten months of hourly finals for
 *       all 5,600 HS-6 subheadings. Alerts 256 MiB per partition: an alert with its explanation
 *       and runbook takes 1 to 2 KB, so over 100,000 alerts a partition; the dashboard reads the
 *       whole alert history at start, so this bound is also its start-up work;</li>
 *   <li>dead letters carry the wall-clock time they failed, so they go by age: 30 days to notice,
 *       fix the cause and replay them;</li>
 *   <li>rules and silences are compacted and kept: few, and each one matters until deleted
 *       (expired silences stay listable);</li>
 *   <li>the alert dispatcher's delivery progress is written at wall-clock time and matters only
 *       until its alert's offset is committed (a muted FIRING until its RESOLVED), and a firing
 *       alert's record until its RESOLVED (rewritten at every reminder): compacted and deleted
 *       after {@code alerts.deliveries.retention}.</li>
 * </ul>
 */
public final class Topics {

    public static final int DEFAULT_PARTITIONS = 6;

    private static final long FINALS_BYTES_PER_PARTITION = 1L << 30;
    private static final long ALERTS_BYTES_PER_PARTITION = 256L << 20;
    private static final Duration DEAD_LETTER_AGE = Duration.ofDays(30);

    /**
     * The alert dispatcher's own topics. Their values are JSON, so they need no schema registry:
     * {@code alerts silence} works with a broker alone. Unlike the other topics they can be
     * renamed one by one ({@code alerts.silences.topic}, {@code alerts.deliveries.topic}): a second
     * dispatcher deployment (its own {@code alerts.group.id}) reading the same alerts needs delivery
     * progress of its own, since progress is keyed by receiver name.
     */
    public record AlertDispatcherTopics(Topic<String, String> silences, Topic<String, String> deliveries) {

        public static final String SILENCES = "alert-silences";
        public static final String DELIVERIES = "alert-deliveries";
        public static final Duration DEFAULT_DELIVERIES_RETENTION = Duration.ofDays(7);

        public static AlertDispatcherTopics of(String silencesName, String deliveriesName, int partitions, Duration deliveriesRetention) {
            return new AlertDispatcherTopics(
                    new Topic<>(silencesName, Serdes.String(), Serdes.String(), 1, CleanupPolicy.COMPACT, Retention.UNLIMITED, Role.CONTROL),
                    new Topic<>(deliveriesName, Serdes.String(), Serdes.String(), partitions, CleanupPolicy.COMPACT_DELETE,
                            Retention.byAge(deliveriesRetention), Role.STATE));
        }

        public List<Topic<?, ?>> all() {
            return List.of(silences, deliveries);
        }
    }

    private final Topic<String, ExportLicenseDecision> exportLicenses;
    private final Topic<String, TariffChange> tariffChanges;
    private final Topic<String, ShipmentMilestone> shipmentMilestones;
    private final Topic<String, CommodityDelayStats> commodityDelayStats;
    private final Topic<String, CommodityDelayStats> commodityDelayCurrent;
    private final Topic<String, DisruptionAlert> disruptionAlerts;
    private final Topic<byte[], DeadLetter> deadLetters;
    private final Topic<String, String> alertRules;
    private final Topic<String, DeadLetter> alertDeadLetters;
    private final Topic<String, String> alertSilences;
    private final Topic<String, String> alertDeliveries;

    public Topics(String prefix, int partitions, AlertDispatcherTopics dispatcher, SerdeFactory serdes) {
        String p = prefix == null ? "" : prefix;
        Serde<String> key = Serdes.String();
        Retention finals = Retention.bySize(FINALS_BYTES_PER_PARTITION);
        Retention alerts = Retention.bySize(ALERTS_BYTES_PER_PARTITION);
        Retention deadLetterAge = Retention.byAge(DEAD_LETTER_AGE);
        this.exportLicenses = new Topic<>(p + "export-licenses", key, serdes.valueSerde(ExportLicenseDecision.class),
                partitions, CleanupPolicy.DELETE, Retention.UNLIMITED, Role.INPUT);
        this.tariffChanges = new Topic<>(p + "tariff-changes", key, serdes.valueSerde(TariffChange.class),
                partitions, CleanupPolicy.DELETE, Retention.UNLIMITED, Role.INPUT);
        this.shipmentMilestones = new Topic<>(p + "shipment-milestones", key, serdes.valueSerde(ShipmentMilestone.class),
                partitions, CleanupPolicy.DELETE, Retention.UNLIMITED, Role.INPUT);
        this.commodityDelayStats = new Topic<>(p + "commodity-delay-stats", key, serdes.valueSerde(CommodityDelayStats.class),
                partitions, CleanupPolicy.DELETE, finals, Role.OUTPUT);
        // a table: only each commodity's newest live view matters, so compaction keeps the topic small
        this.commodityDelayCurrent = new Topic<>(p + "commodity-delay-current", key, serdes.valueSerde(CommodityDelayStats.class),
                partitions, CleanupPolicy.COMPACT, Retention.UNLIMITED, Role.OUTPUT);
        this.disruptionAlerts = new Topic<>(p + "disruption-alerts", key, serdes.valueSerde(DisruptionAlert.class),
                partitions, CleanupPolicy.DELETE, alerts, Role.OUTPUT);
        this.deadLetters = new Topic<>(p + "chokepoint-dlq", Serdes.ByteArray(), serdes.valueSerde(DeadLetter.class),
                partitions, CleanupPolicy.DELETE, deadLetterAge, Role.DEAD_LETTER);
        this.alertRules = new Topic<>(p + "alert-rules", key, Serdes.String(),
                1, CleanupPolicy.COMPACT, Retention.UNLIMITED, Role.CONTROL);
        this.alertDeadLetters = new Topic<>(p + "alerts-dlq", key, serdes.valueSerde(DeadLetter.class),
                partitions, CleanupPolicy.DELETE, deadLetterAge, Role.DEAD_LETTER);
        this.alertSilences = dispatcher.silences();
        this.alertDeliveries = dispatcher.deliveries();
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

    /** Silences as data: key = silence id, value = the silence (JSON); written by {@code alerts silence} and the alerts HTTP API. */
    public Topic<String, String> alertSilences() {
        return alertSilences;
    }

    /**
     * Which receiver already has which alert transition: key = {@code receiver|alertId:state},
     * value = the outcome (JSON), so a restarted dispatcher does not send twice; and the alerts
     * still firing (key = {@code firing|alertId}), so its reminders go on.
     */
    public Topic<String, String> alertDeliveries() {
        return alertDeliveries;
    }

    public List<Topic<?, ?>> all() {
        return List.of(exportLicenses, tariffChanges, shipmentMilestones, commodityDelayStats, commodityDelayCurrent, disruptionAlerts,
                deadLetters, alertRules, alertDeadLetters, alertSilences, alertDeliveries);
    }

    /** The topics keyed by HS code that topologies join, which must be co-partitioned. */
    public List<Topic<?, ?>> inputs() {
        return all().stream().filter(t -> t.role() == Role.INPUT).toList();
    }
}
