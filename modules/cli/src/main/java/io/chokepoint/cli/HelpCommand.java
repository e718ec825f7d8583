package io.chokepoint.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chokepoint help [COMMAND...]}: the usage of any command, however deep ({@code help alerts
 * silence add}); picocli's own help command only looks one level down.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of a command, e.g. 'help topics create'.",
        footer = {"", "Example:", "  chokepoint help alerts silence add"})
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommands) to show the usage of.")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter outWriter, PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
        this.err = errWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                String known = String.join(", ", target.getSubcommands().keySet());
                throw new CommandLine.ParameterException(self, "'" + target.getCommandSpec().qualifiedName() + "' has no command '"
                        + name + "'" + (known.isEmpty() ? "" : "; its commands: " + known));
            }
            target = next;
        }
        target.usage(out, colors);
        out.flush();
        err.flush();
    }
}
