package io.chokepoint.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration as a user meets it: a bad --config file, and {@code config show}. No broker needed. */
class ConfigCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine commandLine = ChokepointCommand.commandLine(env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void aMissingConfigFileIsOneLineAndExit2(@TempDir Path dir) {
        Path missing = dir.resolve("prod.yaml");

        assertThat(run(Map.of(), "--config", missing.toString(), "topics", "create")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("chokepoint: config file " + missing + ": does not exist" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badYamlIsOneLineWithLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chokepoint.yaml");
        Files.writeString(file, "bootstrap.servers: k:9092\ntopic: {prefix: staging-\n");

        assertThat(run(Map.of(), "config", "show", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("chokepoint: config file " + file + ": line 2, column 25: expected ',' or '}'")
                .doesNotContain("Exception");
    }

    @Test
    void showListsDefaultsWithTheirSource() {
        assertThat(run(Map.of("CHOKEPOINT_STREAMS_WINDOW_GRACE", "3h"), "config", "show", "--set", "topic.prefix=staging-")).isZero();

        assertThat(out.toString().lines())
                .contains("streams.window.size=24h    # default", "streams.window.grace=3h    # environment",
                        "topic.partitions=6    # default", "topic.prefix=staging-    # flag",
                        "alerts.group.id=staging-chokepoint-alerts    # default", "rules.quiet.after=24h    # default",
                        "bootstrap.servers=    # not set");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void showRejectsInvalidValuesListingEach() {
        int exit = run(Map.of(), "config", "show", "--set", "topic.partitions=abc", "--set", "streams.window.size=a day",
                "--set", "alerts.start.from=yesterday");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactlyInAnyOrder(
                "chokepoint: configuration 'topic.partitions' must be a whole number, got 'abc'",
                "chokepoint: configuration 'streams.window.size' must be a duration such as 500ms, 30s, 15m, 24h, 7d or PT1H, got 'a day'",
                "chokepoint: configuration 'alerts.start.from' must be earliest or latest, got 'yesterday'");
    }

    @Test
    void showWarnsOfKeysNoComponentReads() {
        int exit = run(Map.of(), "config", "show", "--set", "foo.bar=1", "--set", "topic.prefx=x", "--set", "kafka.acks=all",
                "--set", "kafka.ack=all", "--set", "basic.auth.user.info=svc:pw", "--set", "streams.schedule.departed=20d");

        assertThat(exit).isZero();
        assertThat(out.toString().lines()).contains("foo.bar=1    # flag, unknown: ignored", "kafka.acks=all    # flag",
                "basic.auth.user.info=[redacted]    # flag", "streams.schedule.departed=20d    # flag");
        assertThat(err.toString().lines()).containsExactlyInAnyOrder(
                "chokepoint: warning: 'foo.bar' is not a Chokepoint setting and is ignored",
                "chokepoint: warning: 'kafka.ack' is not a Kafka client property (kafka.* passes through to the Kafka clients); Kafka ignores it",
                "chokepoint: warning: 'topic.prefx' is not a Chokepoint setting and is ignored; did you mean 'topic.prefix'?");
    }
}
