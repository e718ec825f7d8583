package io.chokepoint.rules.model;

import io.chokepoint.events.avro.CommodityDelayStats;
import org.apache.avro.Schema;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A numeric field of {@link CommodityDelayStats} that a rule watches. Every numeric field of the
 * schema is a metric, so a field added to the schema later needs no code change here.
 */
public record Metric(String name, int position) {

    private static final List<Metric> ALL = CommodityDelayStats.getClassSchema().getFields().stream()
            .filter(f -> isNumeric(f.schema()))
            .map(f -> new Metric(f.name(), f.pos()))
            .toList();

    public static List<Metric> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Metric::name).toList();
    }

    public static java.util.Optional<Metric> named(String name) {
        return ALL.stream().filter(m -> m.name.equals(name)).findFirst();
    }

    /** The metric's value in a stats record; empty when the field is null (e.g. no licence decided). */
    public OptionalDouble valueIn(CommodityDelayStats stats) {
        Object value = stats.get(position);
        return value instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }

    private static boolean isNumeric(Schema schema) {
        return switch (schema.getType()) {
            case INT, LONG, FLOAT, DOUBLE -> schema.getLogicalType() == null; // timestamps are not metrics
            case UNION -> schema.getTypes().stream().anyMatch(s -> s.getType() != Schema.Type.NULL)
                    && schema.getTypes().stream().allMatch(s -> s.getType() == Schema.Type.NULL || isNumeric(s));
            default -> false;
        };
    }
}
