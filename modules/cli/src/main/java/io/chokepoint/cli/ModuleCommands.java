package io.chokepoint.cli;

import picocli.CommandLine;

/** The subcommands each module contributes, registered in the order {@code --help} lists them. */
final class ModuleCommands {

    private ModuleCommands() {
    }

    static void register(CommandLine commandLine) {
        commandLine.addSubcommand(new io.chokepoint.producers.command.ProduceCommand());
        commandLine.addSubcommand(new io.chokepoint.producers.command.SimulateCommand());
        // detection runs where the stats are made: the streams application also evaluates the alert rules
        commandLine.addSubcommand(new io.chokepoint.streams.command.StreamsCommand(
                java.util.List.of(io.chokepoint.rules.evaluation.RuleTopology::addTo)));
        commandLine.addSubcommand(new io.chokepoint.rules.command.RulesCommand());
        commandLine.addSubcommand(new io.chokepoint.alerts.command.AlertsCommand());
        commandLine.addSubcommand(new io.chokepoint.bench.BenchCommand());
    }
}
