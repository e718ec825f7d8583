package io.chokepoint.cli;

import picocli.CommandLine;

/** The subcommands each module contributes, registered in the order {@code --help} lists them. */
final class ModuleCommands {

    private ModuleCommands() {
    }

    static void register(CommandLine commandLine) {
        // modules add their commands here as they land
    }
}
