package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.rules.model.Metric;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The parts of the latest evaluated stats record an alert's explanation needs, kept per commodity
 * so an alert closed by a punctuation (rule deleted, commodity quiet) still explains itself.
 * Stored in binary by {@link CommodityCursorSerde}.
 */
public record StatsSnapshot(
        String hsCode,
        long windowStart,
        long windowEnd,
        boolean isFinal,
        long count,
        Double currentTariffPct,
        Double lastTariffChangePct,
        Long lastTariffChangeAt,
        long licencesDecided,
        long licencesApproved,
        Double licenceApprovalRate,
        long licencesDenied,
        long licencesPending,
        Long lastLicenceApprovalAt,
        List<String> topRoutes,
        Map<String, Double> metrics,
        Long lastEventAt) {

    public static StatsSnapshot of(CommodityDelayStats s) {
        Map<String, Double> metrics = new TreeMap<>();
        for (Metric m : Metric.all()) {
            OptionalDouble v = m.valueIn(s);
            if (v.isPresent()) {
                metrics.put(m.name(), v.getAsDouble());
            }
        }
        return new StatsSnapshot(s.getHsCode(), s.getWindowStart().toEpochMilli(), s.getWindowEnd().toEpochMilli(), s.getIsFinal(), s.getCount(),
                s.getCurrentTariffPct(), s.getLastTariffChangePct(),
                s.getLastTariffChangeAt() == null ? null : s.getLastTariffChangeAt().toEpochMilli(),
                s.getLicencesDecided(), s.getLicencesApproved(), s.getLicenceApprovalRate(), s.getLicencesDenied(), s.getLicencesPending(),
                s.getLastLicenceApprovalAt() == null ? null : s.getLastLicenceApprovalAt().toEpochMilli(),
                List.copyOf(s.getTopRoutes()), metrics,
                s.getLastEventAt() == null ? null : s.getLastEventAt().toEpochMilli());
    }
}
