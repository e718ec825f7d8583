package io.chokepoint.dashboard.view;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.http.Json;

import java.time.Instant;
import java.util.List;

/**
 * The API's JSON shapes, one place for every field name (the names are the API: clients and the
 * OpenAPI document rely on them). Times are ISO-8601 UTC strings, delays are hours.
 */
public final class Views {

    private Views() {
    }

    /** The live (or final) stats of one window, with the policy context in force. */
    public static ObjectNode stats(CommodityDelayStats s) {
        ObjectNode n = Json.object();
        n.put("hsCode", s.getHsCode());
        n.put("windowStart", iso(s.getWindowStart()));
        n.put("windowEnd", iso(s.getWindowEnd()));
        n.put("final", s.getIsFinal());
        n.put("count", s.getCount());
        n.put("shipments", s.getDistinctShipments());
        n.put("meanDelayHours", s.getMeanDelayHours());
        n.put("p50DelayHours", s.getP50DelayHours());
        n.put("p90DelayHours", s.getP90DelayHours());
        n.put("p95DelayHours", s.getP95DelayHours());
        n.put("p99DelayHours", s.getP99DelayHours());
        n.put("maxDelayHours", s.getMaxDelayHours());
        n.put("customsHolds", s.getCustomsHolds());
        n.put("overdueShipments", s.getOverdueShipments());
        ObjectNode policy = n.putObject("policy");
        putNullable(policy, "tariffPct", s.getCurrentTariffPct());
        putNullable(policy, "lastTariffChangePct", s.getLastTariffChangePct());
        policy.put("lastTariffChangeAt", s.getLastTariffChangeAt() == null ? null : iso(s.getLastTariffChangeAt()));
        putNullable(policy, "licenceApprovalRate", s.getLicenceApprovalRate());
        policy.put("licencesDecided", s.getLicencesDecided());
        ArrayNode routes = n.putArray("topRoutes");
        s.getTopRoutes().forEach(routes::add);
        return n;
    }

    /** A commodity row: identity, live stats (null before the first observation) and firing alerts. */
    public static ObjectNode commodity(String hsCode, CommodityCatalogue catalogue, ObjectNode live, List<DisruptionAlert> firing) {
        ObjectNode n = Json.object();
        n.put("hsCode", hsCode);
        n.put("name", catalogue.nameOf(hsCode));
        n.put("group", catalogue.groupOf(hsCode));
        n.set("live", live);
        ArrayNode alerts = n.putArray("firingAlerts");
        firing.forEach(a -> alerts.add(alert(a)));
        return n;
    }

    public static ObjectNode alert(DisruptionAlert a) {
        ObjectNode n = Json.object();
        n.put("alertId", a.getAlertId());
        n.put("ruleId", a.getRuleId());
        n.put("hsCode", a.getHsCode());
        n.put("commodityName", a.getCommodityName());
        n.put("commodityGroup", a.getCommodityGroup());
        n.put("state", a.getState().name());
        n.put("severity", a.getSeverity().name());
        n.put("metric", a.getMetric());
        n.put("observedValue", a.getObservedValue());
        n.put("threshold", a.getThreshold());
        n.put("windowStart", iso(a.getWindowStart()));
        n.put("windowEnd", iso(a.getWindowEnd()));
        n.put("episodeStart", iso(a.getEpisodeStart()));
        n.put("eventAt", iso(a.getEventAt()));
        n.put("explanation", a.getExplanation());
        ObjectNode labels = n.putObject("labels");
        a.getLabels().forEach(labels::put);
        ObjectNode annotations = n.putObject("annotations");
        a.getAnnotations().forEach(annotations::put);
        return n;
    }

    public static ObjectNode tariff(TariffChange t) {
        ObjectNode n = Json.object();
        n.put("kind", "TARIFF");
        n.put("id", t.getChangeId());
        n.put("hsCode", t.getHsCode());
        n.put("at", iso(t.getAnnouncedAt()));
        n.put("effectiveAt", iso(t.getEffectiveAt()));
        n.put("measure", t.getMeasure().name());
        n.put("imposingCountry", t.getImposingCountry());
        n.put("targetCountry", t.getTargetCountry());
        n.put("previousRatePct", t.getPreviousRatePct());
        n.put("newRatePct", t.getNewRatePct());
        n.put("summary", t.getImposingCountry() + " " + t.getMeasure().name().toLowerCase(java.util.Locale.ROOT) + " on "
                + t.getTargetCountry() + ": " + rate(t.getPreviousRatePct()) + " % → " + rate(t.getNewRatePct()) + " %");
        return n;
    }

    public static ObjectNode licence(ExportLicenseDecision l) {
        ObjectNode n = Json.object();
        n.put("kind", "LICENCE");
        n.put("id", l.getLicenceId());
        n.put("hsCode", l.getHsCode());
        n.put("at", iso(l.getDecidedAt()));
        n.put("decision", l.getDecision().name());
        n.put("authority", l.getAuthority());
        n.put("exporter", l.getExporter());
        n.put("importer", l.getImporter());
        putNullable(n, "quantityKg", l.getQuantityKg());
        n.put("summary", l.getAuthority() + " " + l.getDecision().name().toLowerCase(java.util.Locale.ROOT)
                + " licence " + l.getExporter() + "→" + l.getImporter());
        return n;
    }

    /** 110, 12.5: a rate as people write it. */
    private static String rate(double pct) {
        return java.math.BigDecimal.valueOf(pct).stripTrailingZeros().toPlainString();
    }

    public static String iso(Instant t) {
        return t.toString();
    }

    private static void putNullable(ObjectNode n, String field, Double value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
