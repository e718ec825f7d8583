package io.chokepoint.devcluster.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a fault test measured, written as Markdown tables to {@code target/reliability/SCENARIO.md}
 * of the module under test (the test JVM's working directory): each run of the suite leaves its
 * own figures — events in, faults injected, recovery time, lost, duplicated — beside its
 * assertions, from which {@code docs/RELIABILITY.md} takes the tables of the reference runs.
 */
public final class ReliabilityReport {

    private final String scenario;
    private final StringBuilder markdown = new StringBuilder();
    private List<String> columns = List.of();

    private ReliabilityReport(String scenario, String title) {
        this.scenario = scenario;
        markdown.append("## ").append(title).append("\n");
    }

    /** A report for one scenario; {@code scenario} names its file, {@code title} heads it. */
    public static ReliabilityReport of(String scenario, String title) {
        return new ReliabilityReport(scenario, title);
    }

    /** Starts a table with these column headings. */
    public ReliabilityReport table(String... headings) {
        columns = List.of(headings);
        markdown.append("\n| ").append(String.join(" | ", columns)).append(" |\n|")
                .append("---|".repeat(columns.size())).append("\n");
        return this;
    }

    /** A row of the current table: one cell per heading, each written with {@link String#valueOf}. */
    public ReliabilityReport row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns: " + Arrays.toString(cells));
        }
        markdown.append("| ").append(Arrays.stream(cells).map(String::valueOf).map(c -> c.replace("|", "\\|"))
                .collect(Collectors.joining(" | "))).append(" |\n");
        return this;
    }

    /** A line of text under the tables (the setting, what a figure means). */
    public ReliabilityReport note(String text) {
        markdown.append("\n").append(text).append("\n");
        return this;
    }

    /** Writes {@code target/reliability/SCENARIO.md} and returns its path. */
    public Path write() {
        Path file = Path.of("target", "reliability", scenario + ".md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reliability report " + file.toAbsolutePath(), e);
        }
        return file;
    }

    /** The report as written. */
    @Override
    public String toString() {
        return markdown.toString();
    }
}
