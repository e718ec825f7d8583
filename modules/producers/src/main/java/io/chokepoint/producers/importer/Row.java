package io.chokepoint.producers.importer;

import java.util.List;
import java.util.Map;

/**
 * One input row as text: field name to raw value ({@code null} when absent), the 1-based column of
 * each field for CSV (empty for JSON lines), and problems found while splitting it into fields.
 */
public record Row(long line, Map<String, String> values, Map<String, Integer> columns, List<Reject> structural) {

    public int columnOf(String field) {
        return columns.getOrDefault(field, 0);
    }
}
