package io.chokepoint.rules.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.model.Durations;
import io.chokepoint.rules.model.Rule;
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
public record BacktestReport(Run run, List<AlertRow> alerts, List<RuleTotals> totals, Duration flapWindow, List<LeadTime> leadTimes,
                             List<EarlyWarning> earlyWarnings, List<ChangeTotals> changeTotals) {

    /** A threshold alert up to this long before a change alert still belongs to the same episode. */
    public static final Duration EPISODE_SLACK = Duration.ofDays(7);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    /**
     * The replay itself: inputs, volume and time taken.
     *
     * @param commodities the HS codes the history holds events of
     */
    public record Run(List<String> files, long events, long rejectedRows, long statsRecords, Instant firstEvent, Instant lastEvent,
                      Duration took, Set<String> commodities) {

        /** Months of history (30.44 days each) times the commodities of {@code hsCodes} the history holds. */
        double commodityMonths(long hsCodes) {
            if (firstEvent == null || lastEvent == null) {
                return 0;
            }
            return hsCodes * Duration.between(firstEvent, lastEvent).toMinutes() / (30.44 * 24 * 60);
        }
    }

    /**
     * One episode of a change rule against the static thresholds: the first FIRING of a threshold
     * rule on the same metric and commodity from {@link #EPISODE_SLACK} before the change alert
     * until it resolved (or the history ended). Without one the early warning stands unconfirmed:
     * on a calm history, a false alarm.
     *
     * @param thresholdRuleId null when unconfirmed
     */
    public record EarlyWarning(String ruleId, String hsCode, Instant changeFiring, Instant changeResolved, String thresholdRuleId,
                               Instant thresholdFiring) {
        public boolean confirmed() {
            return thresholdFiring != null;
        }

        /** How long before the threshold alert the change alert came (negative: after it), or null. */
        public Duration lead() {
            return thresholdFiring == null ? null : Duration.between(changeFiring, thresholdFiring);
        }
    }

    /**
     * Per change rule: episodes, how many a threshold alert confirmed, and the unconfirmed ones per
     * 100 commodity-months of history (the commodities of the history the rule selects).
     */
    public record ChangeTotals(String ruleId, int episodes, int confirmed, double commodityMonths) {
        public int unconfirmed() {
            return episodes - confirmed;
        }

        public double unconfirmedPer100CommodityMonths() {
            return commodityMonths == 0 ? 0 : 100.0 * unconfirmed() / commodityMonths;
        }
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
        return new BacktestReport(run, alerts, totals, flapWindow, List.copyOf(leads), earlyWarnings, changeTotals);
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
        List<EarlyWarning> warnings = earlyWarnings(rows, rules, end);
        List<ChangeTotals> changeTotals = new ArrayList<>();
        CommodityCatalogue catalogue = CommodityCatalogue.defaultCatalogue();
        for (Rule rule : rules.all()) {
            if (rule.isChange()) {
                List<EarlyWarning> mine = warnings.stream().filter(w -> w.ruleId().equals(rule.id())).toList();
                long selected = run.commodities().stream().filter(hs -> rule.selector().matches(hs, catalogue)).count();
                changeTotals.add(new ChangeTotals(rule.id(), mine.size(), (int) mine.stream().filter(EarlyWarning::confirmed).count(),
                        run.commodityMonths(selected)));
            }
        }
        return new BacktestReport(run, rows, byRule.values().stream().map(RuleTotalsBuilder::build).toList(), flapWindow, List.of(),
                warnings, List.copyOf(changeTotals));
    }

    private static List<EarlyWarning> earlyWarnings(List<AlertRow> rows, RuleSet rules, Instant end) {
        Map<String, Instant> resolvedAt = new HashMap<>();
        for (AlertRow r : rows) {
            if (r.state().equals(AlertState.RESOLVED.name())) {
                resolvedAt.put(r.alertId(), r.at());
            }
        }
        List<EarlyWarning> out = new ArrayList<>();
        for (AlertRow change : rows) {
            Rule rule = rules.find(change.ruleId()).orElse(null);
            if (rule == null || !rule.isChange() || !change.state().equals(AlertState.FIRING.name())) {
                continue;
            }
            Instant resolved = resolvedAt.get(change.alertId());
            Instant until = resolved == null ? end : resolved;
            Instant from = change.at().minus(EPISODE_SLACK);
            AlertRow threshold = rows.stream()
                    .filter(r -> r.state().equals(AlertState.FIRING.name()) && r.hsCode().equals(change.hsCode()))
                    .filter(r -> rules.find(r.ruleId()).filter(t -> !t.isChange() && t.metric().equals(rule.metric())).isPresent())
                    .filter(r -> !r.at().isBefore(from) && !r.at().isAfter(until))
                    .findFirst().orElse(null);
            out.add(new EarlyWarning(rule.id(), change.hsCode(), change.at(), resolved, threshold == null ? null : threshold.ruleId(),
                    threshold == null ? null : threshold.at()));
        }
        return List.copyOf(out);
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
        if (!changeTotals.isEmpty()) {
            b.append("\nEARLY WARNING (each change-rule episode against the first threshold alert on the same metric and commodity,"
                    + " from ").append(Durations.format(EPISODE_SLACK)).append(" before it until it resolved)\n");
            String warningFormat = "%-30s  %-6s  %-17s  %-30s  %-17s  %10s%n";
            b.append(String.format(warningFormat, "RULE", "HS", "CHANGE FIRING", "THRESHOLD RULE", "THRESHOLD FIRING", "LEAD"));
            for (EarlyWarning w : earlyWarnings) {
                b.append(String.format(warningFormat, w.ruleId(), w.hsCode(), time(w.changeFiring()),
                        w.confirmed() ? w.thresholdRuleId() : "(unconfirmed)", time(w.thresholdFiring()),
                        w.lead() == null ? "-" : hours(w.lead())));
            }
            if (earlyWarnings.isEmpty()) {
                b.append("(none)\n");
            }
            b.append("\nCHANGE RULES (unconfirmed = no threshold alert followed; on a calm history, false alarms)\n");
            String changeFormat = "%-30s  %8s  %9s  %11s  %16s  %15s%n";
            b.append(String.format(changeFormat, "RULE", "EPISODES", "CONFIRMED", "UNCONFIRMED", "COMMODITY-MONTHS", "PER 100 C-MONTHS"));
            for (ChangeTotals c : changeTotals) {
                b.append(String.format(changeFormat, c.ruleId(), c.episodes(), c.confirmed(), c.unconfirmed(), number(c.commodityMonths()),
                        number(c.unconfirmedPer100CommodityMonths())));
            }
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
        if (!changeTotals.isEmpty()) {
            List<Map<String, Object>> warningsOut = new ArrayList<>();
            for (EarlyWarning w : earlyWarnings) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", w.ruleId());
                m.put("hsCode", w.hsCode());
                m.put("changeFiring", iso(w.changeFiring()));
                m.put("changeResolved", iso(w.changeResolved()));
                m.put("thresholdRule", w.thresholdRuleId());
                m.put("thresholdFiring", iso(w.thresholdFiring()));
                m.put("leadHours", w.lead() == null ? null : w.lead().toMinutes() / 60.0);
                warningsOut.add(m);
            }
            doc.put("earlyWarnings", warningsOut);
            List<Map<String, Object>> changeOut = new ArrayList<>();
            for (ChangeTotals c : changeTotals) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", c.ruleId());
                m.put("episodes", c.episodes());
                m.put("confirmed", c.confirmed());
                m.put("unconfirmed", c.unconfirmed());
                m.put("commodityMonths", c.commodityMonths());
                m.put("unconfirmedPer100CommodityMonths", c.unconfirmedPer100CommodityMonths());
                changeOut.add(m);
            }
            doc.put("changeRules", changeOut);
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

    public ChangeTotals changeTotalsOf(String ruleId) {
        return changeTotals.stream().filter(t -> t.ruleId().equals(ruleId)).findFirst().orElseThrow();
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
