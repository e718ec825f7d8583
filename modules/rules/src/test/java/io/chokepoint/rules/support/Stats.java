package io.chokepoint.rules.support;

import io.chokepoint.events.avro.CommodityDelayStats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hand-made stats records as the delay aggregation emits them: finals of 24h windows (stamped
 * window end - 1 ms) and live views (stamped with their as-of time, the trailing window ending at
 * the next hour).
 */
public final class Stats {

    public static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    public static final Duration WINDOW = Duration.ofHours(24);

    private Stats() {
    }

    /** The final record of the window ending {@code hour} hours after {@link #T0}. */
    public static CommodityDelayStats.Builder finalAt(String hs, int hour) {
        Instant end = T0.plus(Duration.ofHours(hour));
        return CommodityDelayStats.newBuilder()
                .setHsCode(hs)
                .setWindowStart(end.minus(WINDOW))
                .setWindowEnd(end)
                .setIsFinal(true)
                .setCount(40)
                .setDistinctShipments(30)
                .setMeanDelayHours(10)
                .setMinDelayHours(0)
                .setMaxDelayHours(50)
                .setP50DelayHours(8)
                .setP90DelayHours(20)
                .setP95DelayHours(30)
                .setP99DelayHours(45)
                .setCustomsHolds(2)
                .setOverdueShipments(0)
                .setCurrentTariffPct(145.0)
                .setLastTariffChangePct(125.0)
                .setLastTariffChangeAt(Instant.parse("2025-04-09T13:00:00Z"))
                .setLicencesDecided(10)
                .setLicencesApproved(2)
                .setLicenceApprovalRate(0.2)
                .setLicencesDenied(8)
                .setLicencesPending(14)
                .setLastLicenceApprovalAt(Instant.parse("2025-03-29T16:00:00Z"))
                .setTopRoutes(List.of("CN-US", "CN-DE"));
    }

    /** The live view as of {@code hour} hours after {@link #T0}, its newest fact at that time. */
    public static CommodityDelayStats.Builder liveAt(String hs, int hour) {
        Instant asOf = T0.plus(Duration.ofHours(hour));
        Instant end = asOf.plus(Duration.ofHours(1));
        return finalAt(hs, hour).setIsFinal(false).setWindowStart(end.minus(WINDOW)).setWindowEnd(end)
                .setAsOf(asOf).setLastEventAt(asOf);
    }

    /** A live view as of {@code hour} with this p95. */
    public static CommodityDelayStats p95(String hs, int hour, double p95) {
        return liveAt(hs, hour).setP95DelayHours(p95).build();
    }

    public static long timestampOf(CommodityDelayStats s) {
        return s.getIsFinal() || s.getAsOf() == null ? s.getWindowEnd().toEpochMilli() - 1 : s.getAsOf().toEpochMilli();
    }
}
