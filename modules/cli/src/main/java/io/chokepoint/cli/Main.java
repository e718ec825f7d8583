package io.chokepoint.cli;

/** Entry point of the {@code chokepoint} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // the environment is read here, once, and handed to the configuration
        System.exit(ChokepointCommand.commandLine(System.getenv()).execute(args));
    }
}
