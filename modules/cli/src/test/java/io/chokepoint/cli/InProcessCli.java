package io.chokepoint.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs one {@code chokepoint} command in this JVM with a config file, capturing its exit code and everything it wrote to stderr. */
final class InProcessCli {

    record Run(int exit, String err) {
    }

    private InProcessCli() {
    }

    static Run run(Path config, String... command) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(command));
        return run(args);
    }

    static Run run(List<String> args) {
        ByteArrayOutputStream moduleErr = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream systemErr = System.err;
        int exit;
        try {
            // some modules print to the System.err they see when built
            System.setErr(new PrintStream(moduleErr, true, StandardCharsets.UTF_8));
            CommandLine commandLine = ChokepointCommand.commandLine(Map.of());
            commandLine.setOut(new PrintWriter(new StringWriter()));
            commandLine.setErr(new PrintWriter(err, true));
            exit = commandLine.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(systemErr);
        }
        return new Run(exit, err + moduleErr.toString(StandardCharsets.UTF_8));
    }
}
