package io.chokepoint.rules.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * promtool's compact series notation, one value per evaluation step:
 * <ul>
 *   <li>{@code 80} — one value;</li>
 *   <li>{@code a+bxn} / {@code a-bxn} — {@code a, a±b, …, a±n·b} (n+1 values);</li>
 *   <li>{@code axn} — {@code a} repeated n+1 times;</li>
 *   <li>{@code _} — no value at this step; {@code _xn} — n steps without a value.</li>
 * </ul>
 * Example: {@code "10 20 80x3 _ 30-10x2"} = 10, 20, 80, 80, 80, 80, missing, 30, 20, 10.
 */
public final class SeriesNotation {

    private static final String UNSIGNED = "(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?";
    private static final String NUM = "[-+]?" + UNSIGNED;
    private static final Pattern SINGLE = Pattern.compile(NUM);
    private static final Pattern EXPAND = Pattern.compile("(" + NUM + ")(?:([-+])(" + UNSIGNED + "))?x(\\d+)");
    private static final Pattern MISSING = Pattern.compile("_(?:x(\\d+))?");

    private SeriesNotation() {
    }

    /** Values per step; {@code null} where a step has no value. Throws with the offending token. */
    public static List<Double> expand(String text) {
        List<Double> out = new ArrayList<>();
        for (String token : text.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            Matcher missing = MISSING.matcher(token);
            if (missing.matches()) {
                int n = missing.group(1) == null ? 1 : Integer.parseInt(missing.group(1));
                for (int i = 0; i < n; i++) {
                    out.add(null);
                }
                continue;
            }
            if (SINGLE.matcher(token).matches()) {
                out.add(Double.parseDouble(token));
                continue;
            }
            Matcher m = EXPAND.matcher(token);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + token + "' is not a value, 'a+bxn', 'a-bxn', 'axn', '_' or '_xn'");
            }
            double start = Double.parseDouble(m.group(1));
            double step = m.group(2) == null ? 0 : Double.parseDouble(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
            int n = Integer.parseInt(m.group(4));
            if (n > 1_000_000) {
                throw new IllegalArgumentException("'" + token + "' repeats too often (at most 1000000)");
            }
            for (int i = 0; i <= n; i++) {
                out.add(start + i * step);
            }
        }
        return out;
    }
}
