package io.chokepoint.events.yaml;

/**
 * One thing wrong in a YAML file, located precisely. Every file Chokepoint reads (rules, rule
 * tests, alert routing) reports in this one shape: {@code rules.yaml:12:9: rules[1].fire: must be a number}.
 * {@code line} and {@code column} count from 1; 0 when the problem is the file as a whole.
 */
public record YamlProblem(String file, int line, int column, String field, String message) {

    /** A problem with the whole file (missing, unreadable, empty). */
    public static YamlProblem ofFile(String file, String message) {
        return new YamlProblem(file, 0, 0, "", message);
    }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + (column > 0 ? ":" + column : "") : file;
        return where + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
