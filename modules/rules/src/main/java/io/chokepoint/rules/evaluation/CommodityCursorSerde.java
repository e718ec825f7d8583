package io.chokepoint.rules.evaluation;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link CommodityCursor} with its {@link StatsSnapshot}, written once per stats record evaluated. */
public final class CommodityCursorSerde extends BinaryStateSerde<CommodityCursor> {

    public CommodityCursorSerde() {
        super(CommodityCursor.class, true);
    }

    @Override
    void write(Out out, CommodityCursor c) {
        out.putLong(c.newestLiveAt()).putLong(c.newestWindowEnd()).putLong(c.lastEventAt()).putLong(c.lastSeenWallMs());
        StatsSnapshot s = c.latest();
        out.putBoolean(s != null);
        if (s == null) {
            return;
        }
        out.putNullable(s.hsCode()).putLong(s.windowStart()).putLong(s.windowEnd()).putBoolean(s.isFinal()).putLong(s.count())
                .putNullable(s.currentTariffPct()).putNullable(s.lastTariffChangePct()).putNullable(s.lastTariffChangeAt())
                .putLong(s.licencesDecided()).putLong(s.licencesApproved()).putNullable(s.licenceApprovalRate())
                .putLong(s.licencesDenied()).putLong(s.licencesPending()).putNullable(s.lastLicenceApprovalAt());
        List<String> routes = s.topRoutes() == null ? List.of() : s.topRoutes();
        out.putInt(routes.size());
        routes.forEach(out::putString);
        Map<String, Double> metrics = s.metrics() == null ? Map.of() : s.metrics();
        out.putInt(metrics.size());
        metrics.forEach((name, value) -> out.putString(name).putDouble(value));
        out.putNullable(s.lastEventAt());
    }

    @Override
    CommodityCursor read(ByteBuffer in) {
        long newestLiveAt = in.getLong();
        long newestWindowEnd = in.getLong();
        long lastEventAt = in.getLong();
        long lastSeenWallMs = in.getLong();
        if (!getBoolean(in)) {
            return new CommodityCursor(newestLiveAt, newestWindowEnd, lastEventAt, lastSeenWallMs, null);
        }
        String hsCode = getNullableString(in);
        long windowStart = in.getLong();
        long windowEnd = in.getLong();
        boolean isFinal = getBoolean(in);
        long count = in.getLong();
        Double currentTariffPct = getNullableDouble(in);
        Double lastTariffChangePct = getNullableDouble(in);
        Long lastTariffChangeAt = getNullableLong(in);
        long licencesDecided = in.getLong();
        long licencesApproved = in.getLong();
        Double licenceApprovalRate = getNullableDouble(in);
        long licencesDenied = in.getLong();
        long licencesPending = in.getLong();
        Long lastLicenceApprovalAt = getNullableLong(in);
        int routeCount = in.getInt();
        List<String> routes = new ArrayList<>(Math.min(routeCount, 64));
        for (int i = 0; i < routeCount; i++) {
            routes.add(getString(in));
        }
        int metricCount = in.getInt();
        Map<String, Double> metrics = new TreeMap<>();
        for (int i = 0; i < metricCount; i++) {
            metrics.put(getString(in), in.getDouble());
        }
        Long snapshotLastEventAt = getNullableLong(in);
        return new CommodityCursor(newestLiveAt, newestWindowEnd, lastEventAt, lastSeenWallMs, new StatsSnapshot(hsCode, windowStart, windowEnd,
                isFinal, count, currentTariffPct, lastTariffChangePct, lastTariffChangeAt, licencesDecided, licencesApproved, licenceApprovalRate,
                licencesDenied, licencesPending, lastLicenceApprovalAt, List.copyOf(routes), metrics, snapshotLastEventAt));
    }
}
