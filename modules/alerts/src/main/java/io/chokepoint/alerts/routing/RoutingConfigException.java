package io.chokepoint.alerts.routing;

/**
 * The routing file is wrong somewhere. The message reads {@code file:line: field: reason}, e.g.
 * {@code routing.yaml:14: route.routes[0].group_wait: must be a duration such as 30s, got '5x'}.
 * It is an {@link IllegalArgumentException} so the CLI reports it as a user error (exit 2).
 */
public final class RoutingConfigException extends IllegalArgumentException {

    private final String file;
    private final int line;
    private final String field;

    public RoutingConfigException(String file, int line, String field, String reason) {
        super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
        this.file = file;
        this.line = line;
        this.field = field;
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
