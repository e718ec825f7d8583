package io.chokepoint.streams;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.streams.policy.LicenceContext;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffContext;
import io.chokepoint.streams.window.WindowStats;

import java.time.Instant;

/**
 * The one place a {@code CommodityDelayStats} record is made: a window's delay stats plus the
 * policy context (licence tally and tariff context of the window) and the commodity's overdue
 * shipments. Live views and finals are both assembled here.
 */
final class StatsAssembler {

    private final int topRoutes;

    StatsAssembler(int topRoutes) {
        this.topRoutes = topRoutes;
    }

    /**
     * @param lastEventAt the commodity's own evidence time in this window (see {@link CommodityDelayStats#getLastEventAt}), or null
     * @param asOf        live views: the watermark they were computed at; finals: null
     */
    CommodityDelayStats assemble(String hsCode, WindowStats window, boolean isFinal, LicenceContext licenceContext, TariffContext tariff,
                                 long overdueShipments, Long lastEventAt, Long asOf) {
        LicenceTally licence = licenceContext.window();
        double[] q = window.quantilesHours(0.50, 0.90, 0.95, 0.99);
        return CommodityDelayStats.newBuilder()
                .setHsCode(hsCode)
                .setWindowStart(Instant.ofEpochMilli(window.start()))
                .setWindowEnd(Instant.ofEpochMilli(window.end()))
                .setIsFinal(isFinal)
                .setCount(window.count())
                .setDistinctShipments(window.distinctShipments())
                .setMeanDelayHours(window.meanHours())
                .setMinDelayHours(window.minHours())
                .setMaxDelayHours(window.maxHours())
                .setP50DelayHours(q[0])
                .setP90DelayHours(q[1])
                .setP95DelayHours(q[2])
                .setP99DelayHours(q[3])
                .setCustomsHolds(window.customsHolds())
                .setOverdueShipments(overdueShipments)
                .setCurrentTariffPct(tariff.currentRatePct())
                .setLastTariffChangePct(tariff.lastChangePoints())
                .setLastTariffChangeAt(tariff.lastChangeAt() == null ? null : Instant.ofEpochMilli(tariff.lastChangeAt()))
                .setLicencesDecided(licence.decided())
                .setLicencesApproved(licence.approved())
                .setLicenceApprovalRate(licence.approvalRate())
                .setLicencesDenied(licence.denied())
                .setLicencesPending(licence.pending())
                .setLastLicenceApprovalAt(licenceContext.lastApprovalAt() == null ? null : Instant.ofEpochMilli(licenceContext.lastApprovalAt()))
                .setTopRoutes(window.latestRoutes(topRoutes))
                .setLastEventAt(lastEventAt == null ? null : Instant.ofEpochMilli(lastEventAt))
                .setAsOf(asOf == null ? null : Instant.ofEpochMilli(asOf))
                .build();
    }
}
