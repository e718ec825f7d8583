package io.chokepoint.alerts.silence;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.routing.LabelMatcher;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Warns about silence matchers that are valid but can never match what Chokepoint emits: an
 * unknown value of a label whose values are known ({@code severity=WARNNG}, a commodity group or
 * HS code not in the catalogue), or a label spelt the old way. Such a silence mutes nothing, which
 * the user who typed it would not notice until the alert they meant to mute arrives.
 */
public final class MatcherLint {

    private static final List<String> SEVERITIES = Arrays.stream(Severity.values())
            .filter(s -> s != Severity.UNKNOWN).map(Enum::name).toList();

    private final Set<String> groups;
    private final Set<String> hsCodes;

    public MatcherLint(CommodityCatalogue catalogue) {
        this.groups = catalogue.all().stream().map(Commodity::group).collect(Collectors.toCollection(TreeSet::new));
        this.hsCodes = catalogue.all().stream().map(Commodity::hsCode).collect(Collectors.toCollection(TreeSet::new));
    }

    /** One warning per matcher that cannot match; empty when all look right. */
    public List<String> warnings(List<LabelMatcher> matchers) {
        List<String> out = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            String renamed = AlertLabels.RENAMED.get(m.name());
            if (renamed != null) {
                out.add("matcher " + m + ": alerts have no label '" + m.name() + "'; did you mean '" + renamed + "'?");
                continue;
            }
            if (m.operator() != LabelMatcher.Operator.EQUAL) {
                continue;
            }
            switch (m.name()) {
                case AlertLabels.SEVERITY -> {
                    if (!SEVERITIES.contains(m.value())) {
                        out.add("matcher " + m + ": severity is one of " + String.join(", ", SEVERITIES)
                                + suggestion(m.value(), SEVERITIES) + "; this silence mutes nothing");
                    }
                }
                case AlertLabels.COMMODITY_GROUP -> {
                    if (!groups.contains(m.value())) {
                        out.add("matcher " + m + ": no commodity group '" + m.value() + "' in the catalogue (groups: "
                                + String.join(", ", groups) + "); this silence mutes nothing");
                    }
                }
                case AlertLabels.HS_CODE -> {
                    if (!hsCodes.contains(m.value())) {
                        out.add("matcher " + m + ": HS code '" + m.value() + "' is not in the commodity catalogue"
                                + (m.value().matches("\\d{6}") ? "" : " (6 digits, e.g. 850511; hs_prefix=8505 matches a heading)")
                                + "; this silence mutes nothing");
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    private static String suggestion(String value, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(value.toUpperCase(java.util.Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= 2 ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein distance; the values compared are a few characters long. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
