package io.chokepoint.producers.command;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code simulate --dry-run} counts a story's events at once; only an explicit --speed paces it. No broker needed. */
class SimulateDryRunTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int simulate(String... args) {
        SimulateCommand command = new SimulateCommand();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    @Test
    void aDryRunPlaysTheWholeStoryUnpaced() {
        // paced at the default speed, 60 s would cover three weeks of the four-month story
        assertThat(simulate("--dry-run", "--duration", "60s")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("trade-war-2025 (seed ")
                .contains("generated").contains("story 2025-").doesNotContain("stopped early").contains("sha256 ");
    }

    @Test
    void aDryRunWithAnExplicitSpeedIsPaced() {
        // at 3600 story seconds per second, one second covers an hour of a story that lasts months
        assertThat(simulate("--dry-run", "--speed", "3600", "--duration", "1s")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(stopped early)");
    }
}
