package io.chokepoint.producers.importer;

import java.util.Locale;

/** Counts of rows in words: "1 row", "2 rows", "1 row/s". */
final class RowCount {

    private RowCount() {
    }

    static String rows(long n) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? "row" : "rows");
    }

    static String perSecond(double rate) {
        return String.format(Locale.ROOT, "%,.0f %s/s", rate, Math.round(rate) == 1 ? "row" : "rows");
    }
}
