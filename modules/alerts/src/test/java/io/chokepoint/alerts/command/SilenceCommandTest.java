package io.chokepoint.alerts.command;

import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code chokepoint alerts silence add|list|expire} against the real silences topic. */
@ExtendWith(DevClusterExtension.class)
class SilenceCommandTest {

    /** Runs a command line the way the CLI does: the config field is set before call() (picocli keeps the parsed objects). */
    static String run(AlertsTestBed bed, String... args) {
        return run(bed, new StringWriter(), args);
    }

    static String run(AlertsTestBed bed, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new AlertsCommand());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Exception[] failure = new Exception[1];
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            failure[0] = e; // the CLI's handler turns this into one line on stderr and exit 2
            return 2;
        });
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        Object command = parsed.commandSpec().userObject();
        try {
            command.getClass().getField("config").set(command, bed.config());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        int exit = cl.execute(args);
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        assertThat(exit).isZero();
        return out.toString();
    }

    @Test
    void add_list_and_expire_a_silence(DevCluster cluster) {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of())) {
            String id = run(bed, "silence", "add", "-m", "hs_prefix=8505", "-m", "severity=WARNING", "--duration", "90m",
                    "--author", "ops", "--comment", "magnet plant audit").strip();
            assertThat(id).matches("[0-9a-f-]{36}");

            String listed = run(bed, "silence", "list");
            assertThat(listed).contains(id).contains("active").contains("hs_prefix=\"8505\", severity=\"WARNING\"")
                    .contains("# magnet plant audit");

            assertThat(run(bed, "silence", "expire", id)).contains("expired " + id);
            assertThat(run(bed, "silence", "list")).doesNotContain(id);
            assertThat(run(bed, "silence", "list", "--all")).contains(id).contains("expired");
        }
    }

    @Test
    void user_mistakes_are_one_line_illegal_argument_errors(DevCluster cluster) {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of())) {
            assertThatThrownBy(() -> run(bed, "silence", "add", "-m", "hs_prefix 8505"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("matchers: 'hs_prefix 8505' is not a matcher");
            assertThatThrownBy(() -> run(bed, "silence", "add", "-m", "severity=WARNING", "--duration", "soon"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("--duration: must be a duration such as 30m, 2h or 1d, got 'soon'");
            assertThatThrownBy(() -> run(bed, "silence", "expire", "no-such-id"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no silence with id 'no-such-id'");
        }
    }

    @Test
    void a_matcher_that_can_never_match_is_warned_about_and_expiring_twice_says_nothing_changed(DevCluster cluster) {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of())) {
            StringWriter err = new StringWriter();
            String id = run(bed, err, "silence", "add", "-m", "severity=WARNNG", "-m", "hsCode=850511", "--duration", "1h").strip();
            assertThat(id).as("still created: the matcher is valid").matches("[0-9a-f-]{36}");
            assertThat(err.toString().lines()).containsExactly(
                    "chokepoint: warning: matcher severity=\"WARNNG\": severity is one of INFO, WARNING, CRITICAL (did you mean WARNING?);"
                            + " this silence mutes nothing",
                    "chokepoint: warning: matcher hsCode=\"850511\": alerts have no label 'hsCode'; did you mean 'hs_code'?");
            StringWriter quiet = new StringWriter();
            run(bed, quiet, "silence", "add", "-m", "severity=WARNING", "-m", "commodity_group=permanent-magnets", "--duration", "1h");
            assertThat(quiet.toString()).isEmpty();

            assertThat(run(bed, "silence", "expire", id)).contains("expired " + id);
            assertThatThrownBy(() -> run(bed, "silence", "expire", id))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("silence '" + id + "' already expired at \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z; nothing changed");
        }
    }
}
