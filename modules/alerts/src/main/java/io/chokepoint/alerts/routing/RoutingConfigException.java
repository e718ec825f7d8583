package io.chokepoint.alerts.routing;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The routing file is wrong somewhere. The message reads {@code file:line: field: reason}, e.g.
 * {@code routing.yaml:14: route.routes[0].group_wait: must be a duration such as 30s, got '5x'}.
 * A file with several problems lists them all, one per line. It is an {@link IllegalArgumentException} so the CLI reports it as a user error (exit 2).
 */
public final class RoutingConfigException extends IllegalArgumentException {

    private final String file;
    private final int line;
    private final String field;

    private final List<RoutingConfigException> problems;

    public RoutingConfigException(String file, int line, String field, String reason) {
        super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
        this.file = file;
        this.line = line;
        this.field = field;
        this.problems = List.of(this);
    }

    private RoutingConfigException(List<RoutingConfigException> problems) {
        super(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
        this.file = problems.get(0).file;
        this.line = problems.get(0).line;
        this.field = problems.get(0).field;
        this.problems = List.copyOf(problems);
    }

    /** Every problem of a file, one line each, in file order. */
    public static RoutingConfigException of(List<RoutingConfigException> problems) {
        List<RoutingConfigException> sorted = problems.stream().sorted(Comparator.comparingInt(RoutingConfigException::line)).toList();
        return sorted.size() == 1 ? sorted.get(0) : new RoutingConfigException(sorted);
    }

    /** Each problem on its own (this exception alone when there is one). */
    public List<RoutingConfigException> problems() {
        return problems;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
