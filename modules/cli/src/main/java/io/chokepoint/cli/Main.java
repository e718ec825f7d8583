package io.chokepoint.cli;

import picocli.CommandLine;

/** Entry point of the {@code chokepoint} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return ChokepointCommand.commandLine(System.getenv()).execute(args);
    }

    static int run(java.util.Map<String, String> environment, String... args) {
        CommandLine commandLine = ChokepointCommand.commandLine(environment);
        return commandLine.execute(args);
    }
}
