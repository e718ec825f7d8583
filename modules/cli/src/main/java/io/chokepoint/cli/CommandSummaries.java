package io.chokepoint.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.Map;

/**
 * The "Commands:" list of a group's usage shows each command's first sentence. Picocli shows the
 * first line of the description, which is cut mid-sentence wherever a description wraps its
 * first sentence over two lines.
 */
final class CommandSummaries implements CommandLine.IHelpSectionRenderer {

    static void install(CommandLine command) {
        command.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandSummaries());
        command.getSubcommands().values().forEach(CommandSummaries::install);
    }

    @Override
    public String render(Help help) {
        Map<String, Help> commands = help.subcommands();
        if (commands.isEmpty()) {
            return "";
        }
        // two spaces of indent and the longest name; the summary column indents two more: picocli's own layout
        int names = commands.values().stream().mapToInt(c -> c.commandNamesText(", ").toString().length()).max().orElse(0) + 2;
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(help.colorScheme(),
                new Column(names, 2, Column.Overflow.SPAN),
                new Column(width - names, 2, Column.Overflow.WRAP));
        commands.values().forEach(command -> table.addRowValues(command.commandNamesText(", "),
                help.colorScheme().text(summary(command.commandSpec().usageMessage()))));
        return table.toString();
    }

    /** The header when there is one, else the description's first sentence, however its lines are wrapped. */
    static String summary(UsageMessageSpec usage) {
        if (usage.header().length > 0) {
            return usage.header()[0];
        }
        String description = String.join(" ", usage.description()).strip().replaceAll("\\s+", " ");
        for (int end = description.indexOf(". "); end >= 0; end = description.indexOf(". ", end + 1)) {
            if (!description.startsWith("e.g", end - 3) && !description.startsWith("i.e", end - 3)) {
                return description.substring(0, end + 1);
            }
        }
        return description;
    }
}
