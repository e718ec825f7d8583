package io.chokepoint.rules.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.rules.model.Durations;
import io.chokepoint.rules.model.RuleSet;
import org.apache.commons.csv.CSVFormat;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a backtest found: every alert with its times, and per rule the numbers that matter when
 * tuning thresholds — how often it fired, how often it flapped (fired again soon after resolving),
 * how long it was firing in total, and what was still firing when the history ended.
 */
public record BacktestReport(Run run, List<AlertRow> alerts, List<RuleTotals> totals, Duration flapWindow, List<LeadTime> leadTimes) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    /** The replay itself: inputs, volume and time taken. */
    public record Run(List<String> files, long events, long rejectedRows, long statsRecords, Instant firstEvent, Instant lastEvent,
                      Duration took) {
    }

    public record AlertRow(Instant at, String state, String ruleId, String hsCode, String commodity, String severity,
                           double value, double threshold, Instant episodeStart, String alertId, String explanation) {
    }

    /**
     * @param flaps       FIRINGs that came within the flap window after a RESOLVED of the same rule and commodity
     * @param timeFiring  summed over episodes; an episode still open counts until the end of the replay
     */
    public record RuleTotals(String ruleId, int fires, int resolves, int flaps, Duration timeFiring, int openAtEnd, int commodities) {
    }

    /**
     * How much earlier the first FIRING of a rule for a commodity came than with final-only
     * evaluation of the same rules on the same history, both in event time; null where one of them
     * never fired. A final record is evaluated at its window end but exists only once the watermark
     * passed end + grace, so that is when a final-only FIRING could be sent.
     */
    public record LeadTime(String ruleId, String hsCode, Instant firstFiring, Instant finalOnlyFirstFiring) {
        public Duration lead() {
            return firstFiring == null || finalOnlyFirstFiring == null ? null : Duration.between(firstFiring, finalOnlyFirstFiring);
        }
    }

    /**
     * This report with the lead time of every rule and commodity over a final-only run of the same
     * history, whose windows closed {@code grace} after their end.
     */
    public BacktestReport withLeadTimes(BacktestReport finalOnly, Duration grace) {
        Map<String, Instant> mine = firstFirings(alerts);
        Map<String, Instant> theirs = new LinkedHashMap<>();
        firstFirings(finalOnly.alerts).forEach((pair, at) -> theirs.put(pair, at.plus(grace)));
        java.util.TreeSet<String> pairs = new java.util.TreeSet<>(mine.keySet());
        pairs.addAll(theirs.keySet());
        List<LeadTime> leads = new ArrayList<>();
        for (String pair : pairs) {
            int bar = pair.indexOf('|');
            leads.add(new LeadTime(pair.substring(0, bar), pair.substring(bar + 1), mine.get(pair), theirs.get(pair)));
        }
        return new BacktestReport(run, alerts, totals, flapWindow, List.copyOf(leads));
    }

    private static Map<String, Instant> firstFirings(List<AlertRow> rows) {
        Map<String, Instant> first = new LinkedHashMap<>();
        for (AlertRow r : rows) {
            if (r.state().equals(AlertState.FIRING.name())) {
                first.putIfAbsent(r.ruleId() + "|" + r.hsCode(), r.at());
            }
        }
        return first;
    }

    public static BacktestReport of(List<DisruptionAlert> alerts, RuleSet rules, Run run, Duration flapWindow) {
        List<AlertRow> rows = alerts.stream().map(a -> new AlertRow(a.getEventAt(), a.getState().name(), a.getRuleId(), a.getHsCode(),
                a.getCommodityName(), a.getSeverity().name(), a.getObservedValue(), a.getThreshold(), a.getEpisodeStart(),
                a.getAlertId(), a.getExplanation())).toList();
        Instant end = run.lastEvent() == null ? Instant.EPOCH : run.lastEvent();
        for (AlertRow r : rows) {
            end = r.at().isAfter(end) ? r.at() : end;
        }
        Map<String, RuleTotalsBuilder> byRule = new LinkedHashMap<>();
        rules.all().forEach(r -> byRule.put(r.id(), new RuleTotalsBuilder(r.id())));
        Map<String, Instant> firingSince = new HashMap<>();
        Map<String, Instant> lastResolved = new HashMap<>();
        for (AlertRow r : rows) {
            RuleTotalsBuilder t = byRule.computeIfAbsent(r.ruleId(), RuleTotalsBuilder::new);
            String pair = r.ruleId() + "|" + r.hsCode();
            t.commodities.add(r.hsCode());
            if (r.state().equals(AlertState.FIRING.name())) {
                t.fires++;
                Instant previous = lastResolved.get(pair);
                if (previous != null && Duration.between(previous, r.at()).compareTo(flapWindow) <= 0) {
                    t.flaps++;
                }
                firingSince.put(r.alertId(), r.at());
            } else {
                t.resolves++;
                lastResolved.put(pair, r.at());
                Instant since = firingSince.remove(r.alertId());
                if (since != null) {
                    t.firing = t.firing.plus(Duration.between(since, r.at()));
                }
            }
        }
        for (AlertRow r : rows) {
            if (r.state().equals(AlertState.FIRING.name()) && firingSince.containsKey(r.alertId())) {
                RuleTotalsBuilder t = byRule.get(r.ruleId());
                t.open++;
                t.firing = t.firing.plus(Duration.between(r.at(), end));
            }
        }
        return new BacktestReport(run, rows, byRule.values().stream().map(RuleTotalsBuilder::build).toList(), flapWindow, List.of());
    }

    private static final class RuleTotalsBuilder {
        final String ruleId;
        int fires;
        int resolves;
        int flaps;
        int open;
        Duration firing = Duration.ZERO;
        final Set<String> commodities = new HashSet<>();

        RuleTotalsBuilder(String ruleId) {
            this.ruleId = ruleId;
        }

        RuleTotals build() {
            return new RuleTotals(ruleId, fires, resolves, flaps, firing, open, commodities.size());
        }
    }

    // ---- output --------------------------------------------------------------------------------

    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Backtest of %d file(s): %,d events (%,d rows rejected), %s – %s, %,d stats records, replayed in %s%n%n",
                run.files().size(), run.events(), run.rejectedRows(), time(run.firstEvent()), time(run.lastEvent()),
                run.statsRecords(), seconds(run.took())));
        b.append("ALERTS\n");
        String alertFormat = "%-17s  %-8s  %-30s  %-6s  %-32s  %9s  %9s  %-17s%n";
        b.append(String.format(alertFormat, "TIME", "STATE", "RULE", "HS", "COMMODITY", "VALUE", "THRESHOLD", "EPISODE START"));
        for (AlertRow a : alerts) {
            b.append(String.format(alertFormat, time(a.at()), a.state(), a.ruleId(), a.hsCode(), shorten(a.commodity(), 32),
                    number(a.value()), number(a.threshold()), time(a.episodeStart())));
        }
        if (alerts.isEmpty()) {
            b.append("(none)\n");
        }
        b.append("\nRULE TOTALS (flap = fired again within ").append(Durations.format(flapWindow)).append(" of resolving)\n");
        String totalFormat = "%-30s  %5s  %8s  %5s  %11s  %11s  %11s%n";
        b.append(String.format(totalFormat, "RULE", "FIRES", "RESOLVES", "FLAPS", "TIME FIRING", "OPEN AT END", "COMMODITIES"));
        for (RuleTotals t : totals) {
            b.append(String.format(totalFormat, t.ruleId(), t.fires(), t.resolves(), t.flaps(), hours(t.timeFiring()), t.openAtEnd(), t.commodities()));
        }
        if (!leadTimes.isEmpty()) {
            b.append("\nLEAD TIME (event time of the first FIRING: live view vs final windows only, sent at window end + grace)\n");
            String leadFormat = "%-30s  %-6s  %-17s  %-17s  %10s%n";
            b.append(String.format(leadFormat, "RULE", "HS", "LIVE", "FINAL ONLY", "LEAD"));
            for (LeadTime l : leadTimes) {
                b.append(String.format(leadFormat, l.ruleId(), l.hsCode(), time(l.firstFiring()), time(l.finalOnlyFirstFiring()),
                        l.lead() == null ? "-" : hours(l.lead())));
            }
        }
        return b.toString();
    }

    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("files", run.files());
        r.put("events", run.events());
        r.put("rejectedRows", run.rejectedRows());
        r.put("statsRecords", run.statsRecords());
        r.put("firstEvent", iso(run.firstEvent()));
        r.put("lastEvent", iso(run.lastEvent()));
        r.put("tookMs", run.took().toMillis());
        r.put("flapWindow", Durations.format(flapWindow));
        doc.put("run", r);
        List<Map<String, Object>> totalsOut = new ArrayList<>();
        for (RuleTotals t : totals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", t.ruleId());
            m.put("fires", t.fires());
            m.put("resolves", t.resolves());
            m.put("flaps", t.flaps());
            m.put("timeFiringHours", t.timeFiring().toMinutes() / 60.0);
            m.put("openAtEnd", t.openAtEnd());
            m.put("commodities", t.commodities());
            totalsOut.add(m);
        }
        doc.put("totals", totalsOut);
        if (!leadTimes.isEmpty()) {
            List<Map<String, Object>> leadsOut = new ArrayList<>();
            for (LeadTime l : leadTimes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", l.ruleId());
                m.put("hsCode", l.hsCode());
                m.put("firstFiring", iso(l.firstFiring()));
                m.put("finalOnlyFirstFiring", iso(l.finalOnlyFirstFiring()));
                m.put("leadHours", l.lead() == null ? null : l.lead().toMinutes() / 60.0);
                leadsOut.add(m);
            }
            doc.put("leadTimes", leadsOut);
        }
        List<Map<String, Object>> alertsOut = new ArrayList<>();
        for (AlertRow a : alerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", iso(a.at()));
            m.put("state", a.state());
            m.put("rule", a.ruleId());
            m.put("hsCode", a.hsCode());
            m.put("commodity", a.commodity());
            m.put("severity", a.severity());
            m.put("value", a.value());
            m.put("threshold", a.threshold());
            m.put("episodeStart", iso(a.episodeStart()));
            m.put("alertId", a.alertId());
            m.put("explanation", a.explanation());
            alertsOut.add(m);
        }
        doc.put("alerts", alertsOut);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alert as CSV (one row per FIRING/RESOLVED). */
    public String alertsCsv() {
        StringBuilder out = new StringBuilder(csvLine("at", "state", "rule", "hs_code", "commodity", "severity", "value", "threshold",
                "episode_start", "alert_id", "explanation"));
        for (AlertRow a : alerts) {
            out.append(csvLine(iso(a.at()), a.state(), a.ruleId(), a.hsCode(), a.commodity(), a.severity(), a.value(), a.threshold(),
                    iso(a.episodeStart()), a.alertId(), a.explanation()));
        }
        return out.toString();
    }

    /** The per-rule totals as CSV. */
    public String totalsCsv() {
        StringBuilder out = new StringBuilder(csvLine("rule", "fires", "resolves", "flaps", "time_firing_hours", "open_at_end", "commodities"));
        for (RuleTotals t : totals) {
            out.append(csvLine(t.ruleId(), t.fires(), t.resolves(), t.flaps(), t.timeFiring().toMinutes() / 60.0, t.openAtEnd(), t.commodities()));
        }
        return out.toString();
    }

    private static String csvLine(Object... values) {
        return CSVFormat.DEFAULT.format(values) + "\n";
    }

    public RuleTotals totalsOf(String ruleId) {
        return totals.stream().filter(t -> t.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String hours(Duration d) {
        return number(d.toMinutes() / 60.0) + " h";
    }

    private static String seconds(Duration d) {
        return number(d.toMillis() / 1000.0) + " s";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
