package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.model.AnnotationTemplate;
import io.chokepoint.rules.model.ChangeDetection;
import io.chokepoint.rules.model.Durations;
import io.chokepoint.rules.model.Comparison;
import io.chokepoint.rules.model.Rule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a transition into the {@link DisruptionAlert} record: labels (the rule's plus
 * {@code alertname}, {@code hs_code}, {@code commodity}, {@code commodity_group}, {@code severity}),
 * rendered annotations (with the rule's description as {@code description} unless the rule
 * defines that annotation) and an explanation that says what was observed, against which threshold, in which window, under
 * which policy context, after which policy event, and on which routes.
 */
public final class AlertFactory {

    private final CommodityCatalogue catalogue;

    public AlertFactory(CommodityCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * @param emittedAtMs the wall clock now; with the evidence time ({@code lastEventAt} of the
     *                    stats) it makes the alert's latency readable from the alert itself
     */
    public DisruptionAlert create(Rule rule, Transition t, StatsSnapshot stats, long emittedAtMs) {
        return create(rule, t, stats, emittedAtMs, null);
    }

    /**
     * @param detector for a change rule, its detector after the observation that caused the
     *                 transition: the alert then carries the metric's value and the baseline median
     *                 (as threshold) instead of the detector's score, and says what shifted, by how
     *                 much and since when
     */
    public DisruptionAlert create(Rule rule, Transition t, StatsSnapshot stats, long emittedAtMs, DetectorState detector) {
        if (detector != null && !detector.warmingUp()) {
            t = new Transition(t.state(), t.alertId(), t.episodeStart(), detector.value(), detector.median(), t.at(), t.reason());
        } else {
            detector = null;
        }
        String hsCode = stats.hsCode();
        Map<String, String> labels = new TreeMap<>(rule.labels());
        labels.put("alertname", rule.id());
        labels.put("hs_code", hsCode);
        labels.put("commodity", catalogue.nameOf(hsCode));
        labels.put("commodity_group", catalogue.groupOf(hsCode));
        labels.put("severity", rule.severity().name());
        String explanation = explain(rule, t, stats, detector);
        Map<String, String> values = placeholderValues(rule, t, stats, explanation, detector);
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, AnnotationTemplate> a : rule.annotations().entrySet()) {
            annotations.put(a.getKey(), a.getValue().render(values::get, labels,
                    field -> field.equals("topRoutes") ? String.join(", ", stats.topRoutes())
                            : stats.metrics().containsKey(field) ? Numbers.format(stats.metrics().get(field)) : null));
        }
        // what the rule is about, in the rule's own words, unless its annotations say it otherwise
        if (!rule.description().isBlank()) {
            annotations.putIfAbsent("description", rule.description());
        }
        return DisruptionAlert.newBuilder()
                .setAlertId(t.alertId())
                .setRuleId(rule.id())
                .setHsCode(hsCode)
                .setCommodityName(catalogue.nameOf(hsCode))
                .setCommodityGroup(catalogue.groupOf(hsCode))
                .setState(t.state())
                .setSeverity(rule.severity())
                .setMetric(rule.metric().name())
                .setObservedValue(t.value())
                .setThreshold(t.threshold())
                .setWindowStart(Instant.ofEpochMilli(stats.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(stats.windowEnd()))
                .setEpisodeStart(Instant.ofEpochMilli(t.episodeStart()))
                .setEventAt(Instant.ofEpochMilli(t.at()))
                .setExplanation(explanation)
                .setLabels(new LinkedHashMap<>(labels))
                .setAnnotations(annotations)
                .setEvidenceAt(stats.lastEventAt() == null ? null : Instant.ofEpochMilli(stats.lastEventAt()))
                .setEmittedAt(Instant.ofEpochMilli(emittedAtMs))
                .build();
    }

    /** The placeholder values of {@link AnnotationTemplate#PLACEHOLDERS}. */
    Map<String, String> placeholderValues(Rule rule, Transition t, StatsSnapshot s, String explanation, DetectorState detector) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("value", Numbers.format(t.value()));
        v.put("threshold", Numbers.format(t.threshold()));
        v.put("fire", Numbers.format(rule.fire()));
        v.put("resolve", Numbers.format(rule.resolve()));
        v.put("comparison", rule.comparison().symbol());
        v.put("metric", rule.metric().name());
        v.put("rule", rule.id());
        v.put("severity", rule.severity().name());
        v.put("state", t.state().name());
        v.put("commodity", catalogue.nameOf(s.hsCode()));
        v.put("hsCode", s.hsCode());
        v.put("group", catalogue.groupOf(s.hsCode()));
        v.put("windowStart", Numbers.time(s.windowStart()));
        v.put("windowEnd", Numbers.time(s.windowEnd()));
        v.put("episodeStart", Numbers.time(t.episodeStart()));
        v.put("tariff", s.currentTariffPct() == null ? "n/a" : Numbers.format(s.currentTariffPct()));
        v.put("tariffChange", s.lastTariffChangePct() == null ? "n/a" : Numbers.signed(s.lastTariffChangePct()));
        v.put("tariffChangedAt", s.lastTariffChangeAt() == null ? "n/a" : Numbers.time(s.lastTariffChangeAt()));
        v.put("approvalRate", s.licenceApprovalRate() == null ? "n/a" : Numbers.percentOfRate(s.licenceApprovalRate()));
        v.put("licencesApproved", Long.toString(s.licencesApproved()));
        v.put("licencesDecided", Long.toString(s.licencesDecided()));
        v.put("topRoutes", s.topRoutes().isEmpty() ? "n/a" : String.join(", ", s.topRoutes()));
        v.put("explanation", explanation);
        v.put("versus", versus(rule, t));
        v.put("baseline", detector == null ? "n/a" : Numbers.format(detector.median()));
        v.put("spread", detector == null ? "n/a" : Numbers.format(detector.spread()));
        v.put("shift", detector == null ? "n/a" : Numbers.signed(detector.value() - detector.median()));
        v.put("changeSince", detector == null ? "n/a" : Numbers.time(ChangeDetector.changeSince(detector)));
        return v;
    }

    /**
     * How the value stands against {@code threshold}, in words that read right in both states:
     * "above" (FIRING), "back below" (RESOLVED at the resolve threshold), "resolved (no data), threshold"
     * (RESOLVED for another reason), so a summary never says "-4.55 h above 36 h".
     */
    static String versus(Rule rule, Transition t) {
        if (rule.isChange()) {
            return t.state() == AlertState.FIRING ? "shifted to" : t.reason() == null ? "back to" : "resolved (" + t.reason() + ") at";
        }
        boolean upward = rule.comparison() == Comparison.GREATER || rule.comparison() == Comparison.GREATER_OR_EQUAL;
        if (t.state() == AlertState.FIRING) {
            return upward ? "above" : "below";
        }
        if (t.reason() == null) {
            return upward ? "back below" : "back above";
        }
        return "resolved (" + t.reason() + "), threshold";
    }

    /**
     * One paragraph, e.g. "p95DelayHours = 96 > 72 (fire threshold) for Permanent magets (850511) in
     * window …; policy: tariff 145 % (last change +125 points at …), licences 2 of 10 approved (20 %);
     * latest policy event: …; top routes: CN-US, CN-DE."
     */
    String explain(Rule rule, Transition t, StatsSnapshot s, DetectorState detector) {
        StringBuilder b = new StringBuilder();
        String metric = rule.metric().name();
        String commodity = catalogue.nameOf(s.hsCode()) + " (" + s.hsCode() + ")";
        if (detector != null && rule.change().isPresent()) {
            explainShift(b, rule.change().get(), metric, t, detector);
        } else if (t.state() == AlertState.FIRING) {
            b.append(metric).append(" = ").append(Numbers.format(t.value())).append(' ').append(rule.comparison().symbol())
                    .append(' ').append(Numbers.format(t.threshold())).append(" (fire threshold");
            if (!rule.forHold().isNone()) {
                b.append(", held for ").append(rule.forHold()).append(" since ").append(Numbers.time(t.episodeStart()));
            }
            b.append(")");
        } else if (t.reason() == null) {
            b.append(metric).append(" = ").append(Numbers.format(t.value())).append(' ').append(rule.comparison().negatedSymbol())
                    .append(' ').append(Numbers.format(t.threshold())).append(" (resolve threshold");
            if (!rule.keepFiringFor().isNone()) {
                b.append(", after keep_firing_for ").append(rule.keepFiringFor());
            }
            b.append(")");
        } else {
            b.append("resolved because ").append(t.reason()).append("; last ").append(metric).append(" = ")
                    .append(Numbers.format(t.value()));
        }
        b.append(" for ").append(commodity).append(" in window ").append(Numbers.time(s.windowStart())).append(" – ")
                .append(Numbers.time(s.windowEnd())).append(s.isFinal() ? " (final, " : " (live, ").append(s.count())
                .append(s.count() == 1 ? " observation)" : " observations)");
        b.append("; policy: ");
        if (s.currentTariffPct() == null) {
            b.append("no tariff recorded");
        } else {
            b.append("tariff ").append(Numbers.format(s.currentTariffPct())).append(" %");
            if (s.lastTariffChangePct() != null) {
                b.append(" (last change ").append(Numbers.signed(s.lastTariffChangePct())).append(" points");
                if (s.lastTariffChangeAt() != null) {
                    b.append(" at ").append(Numbers.time(s.lastTariffChangeAt()));
                }
                b.append(")");
            }
        }
        b.append(", ").append(licenceContext(s));
        b.append("; latest policy event: ").append(latestPolicyEvent(s));
        b.append("; top routes: ").append(s.topRoutes().isEmpty() ? "n/a" : String.join(", ", s.topRoutes())).append('.');
        return b.toString();
    }

    /**
     * What a change rule saw, e.g. "p95DelayHours shifted up: 32.1 against a baseline of 7 (median of
     * the commodity's in-control observations, spread 4), +25.1 = 6.3 spreads; the change began about
     * 2025-04-06T04:00Z (CUSUM 2.63 of 3 spread-days, EWMA 3.06 of 3 spreads, sensitivity medium)".
     */
    private static void explainShift(StringBuilder b, ChangeDetection c, String metric, Transition t, DetectorState d) {
        double shift = d.value() - d.median();
        String baseline = " against a baseline of " + Numbers.format(d.median()) + " (median of the commodity's in-control observations"
                + " over up to " + Durations.format(c.baseline()) + ", spread " + Numbers.format(d.spread()) + ")";
        if (t.state() == AlertState.FIRING) {
            ChangeDetection.Direction way = ChangeDetector.shiftOf(d);
            double cusum = way == ChangeDetection.Direction.UP ? d.upper() : d.lower();
            b.append(metric).append(" shifted ").append(way.word()).append(": ").append(Numbers.format(d.value())).append(baseline)
                    .append(", ").append(Numbers.signed(shift)).append(" = ")
                    .append(String.format(Locale.ROOT, "%.1f", Math.abs(shift) / d.spread())).append(" spreads")
                    .append("; the change began about ").append(Numbers.time(ChangeDetector.changeSince(d)))
                    .append(" (CUSUM ").append(String.format(Locale.ROOT, "%.2f", cusum)).append(" of ")
                    .append(Numbers.format(c.sensitivity().decisionInterval())).append(" spread-days, EWMA ")
                    .append(String.format(Locale.ROOT, "%.2f", Math.abs(d.ewma()))).append(" of ")
                    .append(Numbers.format(c.sensitivity().ewmaLimit())).append(" spreads, sensitivity ").append(c.sensitivity().word())
                    .append(")");
        } else if (t.reason() == null) {
            b.append(metric).append(" back to its baseline: ").append(Numbers.format(d.value())).append(baseline)
                    .append("; the detector's evidence fell below ").append(Numbers.format(ChangeDetection.RESOLVE_SCORE * 100))
                    .append(" % of its limits");
        } else {
            b.append("resolved because ").append(t.reason()).append("; last ").append(metric).append(" = ").append(Numbers.format(d.value()))
                    .append(baseline);
        }
    }

    /**
     * A stall shows as applications left pending and approvals that stop, not as refusals, so the
     * context names the pending ones and the time since the last approval, e.g. "licences in the
     * window: 1 approved, 1 denied, 6 pending (1 of 2 decided approved, 50 %), last approval
     * 2025-04-16T09:00Z (0.5 days before the window end)".
     */
    static String licenceContext(StatsSnapshot s) {
        StringBuilder b = new StringBuilder("licences in the window: ");
        long revoked = s.licencesDecided() - s.licencesApproved() - s.licencesDenied();
        if (s.licencesDecided() == 0 && s.licencesPending() == 0) {
            b.append("none");
        } else {
            b.append(s.licencesApproved()).append(" approved, ").append(s.licencesDenied()).append(" denied, ");
            if (revoked > 0) {
                b.append(revoked).append(" revoked, ");
            }
            b.append(s.licencesPending()).append(" pending");
            if (s.licenceApprovalRate() != null) {
                b.append(" (").append(s.licencesApproved()).append(" of ").append(s.licencesDecided()).append(" decided approved, ")
                        .append(Numbers.percentOfRate(s.licenceApprovalRate())).append(")");
            }
        }
        if (s.lastLicenceApprovalAt() != null) {
            double days = (s.windowEnd() - s.lastLicenceApprovalAt()) / 86_400_000.0;
            b.append(", last approval ").append(Numbers.time(s.lastLicenceApprovalAt())).append(" (")
                    .append(String.format(Locale.ROOT, "%.1f", days)).append(" days before the window end)");
        } else if (s.licencesApproved() == 0 && (s.licencesDecided() > 0 || s.licencesPending() > 0)) {
            // only stats written before lastLicenceApprovalAt existed lack it despite approvals
            b.append(", no approval on record before the window end");
        }
        return b.toString();
    }

    /**
     * The stats carry the time of the latest tariff change exactly; licence decisions are known only
     * as counts per window. The tariff change is the latest event when it happened inside or after
     * the window; otherwise the window's licence decisions are more recent.
     */
    static String latestPolicyEvent(StatsSnapshot s) {
        String tariff = s.lastTariffChangeAt() == null ? null
                : "tariff change " + (s.lastTariffChangePct() == null ? "" : Numbers.signed(s.lastTariffChangePct()) + " points ")
                + "at " + Numbers.time(s.lastTariffChangeAt());
        String licences = s.licencesDecided() == 0 ? null
                : s.licencesDecided() + " licence decision" + (s.licencesDecided() == 1 ? "" : "s") + " (" + s.licencesApproved()
                + " approved) between " + Numbers.time(s.windowStart()) + " and " + Numbers.time(s.windowEnd());
        if (tariff == null && licences == null) {
            return "none recorded";
        }
        if (tariff == null) {
            return licences;
        }
        if (licences == null || s.lastTariffChangeAt() >= s.windowStart()) {
            return tariff;
        }
        return licences;
    }
}
