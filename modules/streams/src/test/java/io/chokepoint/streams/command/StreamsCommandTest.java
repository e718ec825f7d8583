package io.chokepoint.streams.command;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.config.ChokepointConfig.ConfigProblem;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad settings fail before anything connects, naming the key to fix. */
class StreamsCommandTest {

    private static StreamsCommand parse(String... args) {
        StreamsCommand command = new StreamsCommand();
        new CommandLine(command).parseArgs(args);
        command.config = ChokepointConfig.of(Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", "http://127.0.0.1:1"));
        return command;
    }

    @Test
    void malformedDurationNamesTheKey() {
        StreamsCommand command = parse("--window-size", "5 parsecs");
        assertThatThrownBy(command::call).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("streams.window.size").hasMessageContaining("5 parsecs");
    }

    @Test
    void advanceThatDoesNotDivideTheWindowIsRefused() {
        StreamsCommand command = parse("--window-size", "24h", "--window-advance", "7h");
        assertThatThrownBy(command::call).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("streams.window.advance").hasMessageContaining("divide");
    }

    @Test
    void helpHasAnExample() {
        String usage = new CommandLine(new StreamsCommand()).getUsageMessage();
        assertThat(usage).contains("--window-grace").contains("Examples:").contains("chokepoint streams");
    }
}
