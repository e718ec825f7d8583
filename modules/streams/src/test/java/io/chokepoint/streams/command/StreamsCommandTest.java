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
    void hostedServicesGetTheHttpPortAndTheirRefusalStopsTheCommandBeforeTheApplicationStarts() {
        java.util.concurrent.atomic.AtomicReference<String> port = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<org.apache.kafka.streams.KafkaStreams.State> state = new java.util.concurrent.atomic.AtomicReference<>();
        StreamsCommand command = new StreamsCommand(java.util.List.of(), java.util.List.of((runtime, config) -> {
            port.set(config.get(StreamsCommand.HTTP_PORT));
            state.set(runtime.streams().state());
            throw new ConfigProblem(StreamsCommand.HTTP_PORT, "port 9100 is in use");
        }));
        new CommandLine(command).parseArgs("--http-port", "9100");
        command.config = ChokepointConfig.of(Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", "http://127.0.0.1:1"));
        assertThatThrownBy(command::call).isInstanceOf(ConfigProblem.class).hasMessageContaining("streams.http.port");
        assertThat(port.get()).isEqualTo("9100");
        assertThat(state.get()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.CREATED);
    }

    @Test
    void helpHasAnExample() {
        String usage = new CommandLine(new StreamsCommand()).getUsageMessage();
        assertThat(usage).contains("--window-grace").contains("Examples:").contains("chokepoint streams");
    }
}
