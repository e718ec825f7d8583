package io.chokepoint.streams;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffContext;
import io.chokepoint.streams.window.WindowStats;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

    CommodityDelayStats assemble(String hsCode, WindowStats window, boolean isFinal, LicenceTally licence, TariffContext tariff,
                                 long overdueShipments) {
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
                .setTopRoutes(topRoutes(window.routeDelayHours()))
                .build();
    }

    private List<String> topRoutes(Map<String, Double> routeDelayHours) {
        return routeDelayHours.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(topRoutes)
                .map(Map.Entry::getKey)
                .toList();
    }
}
