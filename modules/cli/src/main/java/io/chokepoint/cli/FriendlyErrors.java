package io.chokepoint.cli;

import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.SchemaRegistryException;
import io.chokepoint.producers.simulator.ScenarioException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;

import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * Turns failures into one actionable line: a user's mistake (bad config, bad input) exits 2,
 * an environment failure (broker or registry unreachable) exits 1. Stack traces only with --verbose.
 */
final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {

    static final int USER_ERROR = 2;
    static final int FAILURE = 1;

    private final BooleanSupplier verbose;

    FriendlyErrors(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        int exit;
        String message;
        if (e instanceof ChokepointConfig.ConfigProblem || e instanceof ConfigException || e instanceof IllegalArgumentException
                || e instanceof ScenarioException) {
            exit = USER_ERROR;
            message = e.getMessage();
        } else if (e instanceof TopicProvisioner.TopicMismatchException) {
            exit = FAILURE;
            message = "existing topics disagree with the catalogue:\n  " + e.getMessage().replace("\n", "\n  ");
        } else if (e instanceof SchemaRegistryException || e instanceof KafkaException || e instanceof UncheckedIOException
                || e instanceof IllegalStateException) {
            exit = FAILURE;
            message = rootMessage(e);
        } else {
            exit = FAILURE;
            message = "unexpected " + e.getClass().getSimpleName() + ": " + rootMessage(e) + " (run with --verbose for details)";
        }
        commandLine.getErr().println(commandLine.getColorScheme().errorText("chokepoint: " + message));
        if (verbose.getAsBoolean()) {
            e.printStackTrace(commandLine.getErr());
        }
        return exit;
    }

    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
