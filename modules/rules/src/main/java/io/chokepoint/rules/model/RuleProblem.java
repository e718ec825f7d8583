package io.chokepoint.rules.model;

/** One thing wrong in a rule file, located precisely: {@code rules.yaml:12:9: rules[1].fire: must be a number}. */
public record RuleProblem(String file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
