package io.chokepoint.devcluster;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic record of every schema, from the 2025 trade story. */
final class SampleEvents {

    static final Instant APRIL_4 = Instant.parse("2025-04-04T09:00:00Z");

    private SampleEvents() {
    }

    static ExportLicenseDecision licence() {
        return ExportLicenseDecision.newBuilder()
                .setEventId("lic-1").setLicenceId("MOFCOM-2025-0412").setDecidedAt(APRIL_4)
                .setAuthority("MOFCOM").setExporter("CN").setImporter("US").setHsCode("280530")
                .setDecision(LicenceDecision.DENIED).setQuantityKg(1200.0).build();
    }

    static TariffChange tariff() {
        return TariffChange.newBuilder()
                .setEventId("tar-1").setChangeId("US-2025-04-09").setAnnouncedAt(APRIL_4)
                .setEffectiveAt(APRIL_4.plusSeconds(86_400)).setImposingCountry("US").setTargetCountry("CN")
                .setHsCode("850511").setPreviousRatePct(20.0).setNewRatePct(130.0)
                .setMeasure(TariffMeasure.RETALIATION).build();
    }

    static ShipmentMilestone milestone() {
        return ShipmentMilestone.newBuilder()
                .setEventId("shp-1|CUSTOMS_HOLD").setShipmentId("SHP-1").setHsCode("850511")
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.CUSTOMS_HOLD)
                .setPlannedAt(APRIL_4).setActualAt(APRIL_4.plusSeconds(3 * 86_400))
                .setQuantityKg(null).setCarrier("COSCO").build();
    }

    static CommodityDelayStats stats() {
        return CommodityDelayStats.newBuilder()
                .setHsCode("850511").setWindowStart(APRIL_4).setWindowEnd(APRIL_4.plusSeconds(86_400))
                .setIsFinal(true).setCount(42).setDistinctShipments(40).setMeanDelayHours(31.5)
                .setMinDelayHours(-2.0).setMaxDelayHours(96.0).setP50DelayHours(24.0).setP90DelayHours(70.0)
                .setP95DelayHours(80.0).setP99DelayHours(95.0).setCustomsHolds(7).setOverdueShipments(3)
                .setCurrentTariffPct(130.0).setLastTariffChangePct(110.0).setLastTariffChangeAt(APRIL_4)
                .setLicencesDecided(10).setLicencesApproved(2).setLicenceApprovalRate(0.2)
                .setTopRoutes(List.of("CN-US", "CN-DE")).build();
    }

    static DisruptionAlert alert() {
        return DisruptionAlert.newBuilder()
                .setAlertId("4f3c").setRuleId("magnet-delay-p95").setHsCode("850511")
                .setCommodityName("Permanent magnets of metal").setCommodityGroup("permanent-magnets")
                .setState(AlertState.FIRING).setSeverity(Severity.CRITICAL).setMetric("p95DelayHours")
                .setObservedValue(80.0).setThreshold(48.0).setWindowStart(APRIL_4)
                .setWindowEnd(APRIL_4.plusSeconds(86_400)).setEpisodeStart(APRIL_4).setEventAt(APRIL_4)
                .setExplanation("p95 delay 80 h > 48 h").setLabels(Map.of("team", "trade-compliance"))
                .setAnnotations(Map.of("summary", "Magnet shipments stalling")).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setStage(FailureStage.DESERIALIZATION).setCause("SerializationException: unknown magic byte")
                .setSourceTopic("shipment-milestones").setSourcePartition(2).setSourceOffset(17L)
                .setApplicationId("chokepoint-streams").setProcessorNode("KSTREAM-SOURCE-0000000000")
                .setFailedAt(APRIL_4).setKey(ByteBuffer.wrap(new byte[]{'8', '5'}))
                .setValue(ByteBuffer.wrap(new byte[]{1, 2, 3})).build();
    }
}
