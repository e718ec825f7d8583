package io.chokepoint.alerts.routing;

import io.chokepoint.events.yaml.InvalidYamlException;
import io.chokepoint.events.yaml.YamlProblem;

import java.util.Comparator;
import java.util.List;

/**
 * The routing file is wrong somewhere. Each problem reads {@code file:line:column: field: reason},
 * e.g. {@code routing.yaml:14:19: route.routes[0].group_wait: must be a duration such as 30s, got '5x'};
 * a file with several problems lists them all, one per line, in file order.
 */
public final class RoutingConfigException extends InvalidYamlException {

    public RoutingConfigException(YamlProblem problem) {
        super(List.of(problem));
    }

    private RoutingConfigException(List<YamlProblem> problems) {
        super(problems);
    }

    /** Every problem of a file, in file order. */
    public static RoutingConfigException of(List<YamlProblem> problems) {
        return new RoutingConfigException(problems.stream()
                .sorted(Comparator.comparingInt(YamlProblem::line).thenComparingInt(YamlProblem::column))
                .toList());
    }
}
