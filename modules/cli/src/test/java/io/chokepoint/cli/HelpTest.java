package io.chokepoint.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks the whole command tree, root included: every node answers --help, -h and help PATH. */
class HelpTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ChokepointCommand.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The path of names from the root to every command, the root itself as the empty path. */
    private static List<List<String>> paths() {
        List<List<String>> all = new ArrayList<>();
        collect(ChokepointCommand.commandLine(Map.of()), new ArrayList<>(), all);
        return all;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> all) {
        all.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // aliases name the same command
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, all);
            }
        });
    }

    @Test
    void theTreeHasGroupsAndLeaves() {
        assertThat(paths()).contains(List.of(), List.of("topics"), List.of("topics", "create"), List.of("config", "show"),
                List.of("alerts", "silence"), List.of("alerts", "silence", "add"), List.of("help"));
    }

    @Test
    void everyCommandAnswersHelpAndDashH() {
        for (List<String> path : paths()) {
            String usage = "Usage: chokepoint" + (path.isEmpty() ? "" : " " + String.join(" ", path));
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Run run = run(args.toArray(String[]::new));
                assertThat(run.exit()).as("exit of %s (stderr: %s)", args, run.err()).isZero();
                assertThat(run.out()).as("usage of %s", args).startsWith(usage + " ");
                assertThat(run.err()).as("stderr of %s", args).isEmpty();
            }
        }
    }

    @Test
    void helpCommandShowsTheUsageOfAnyDepth() {
        for (List<String> path : paths()) {
            List<String> args = new ArrayList<>(List.of("help"));
            args.addAll(path);
            List<String> flag = new ArrayList<>(path);
            flag.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertThat(help.exit()).as("exit of %s", args).isZero();
            assertThat(help.out()).as("usage from %s", args).isEqualTo(run(flag.toArray(String[]::new)).out());
        }
    }

    @Test
    void everyGroupListsEachCommandWithItsWholeFirstSentence() {
        CommandLine root = ChokepointCommand.commandLine(Map.of());
        for (List<String> path : paths()) {
            CommandLine group = root;
            for (String name : path) {
                group = group.getSubcommands().get(name);
            }
            if (group.getSubcommands().isEmpty()) {
                continue;
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String usage = run(args.toArray(String[]::new)).out().replaceAll("\\s+", " ");
            for (CommandLine command : group.getSubcommands().values()) {
                String summary = CommandSummaries.summary(command.getCommandSpec().usageMessage());
                assertThat(summary).as("summary of %s", command.getCommandSpec().qualifiedName()).endsWith(".");
                assertThat(usage).as("command list of %s", path).contains(" " + command.getCommandName() + " " + summary);
            }
        }
    }

    @Test
    void aWrappedFirstSentenceIsNotCut() {
        assertThat(run("topics", "--help").out().replaceAll("\\s+", " ")).contains(" create Create every catalogue topic with its "
                + "settings (idempotent), then check that existing topics agree: partitions, cleanup policy, and co-partitioning of the inputs.");
    }

    @Test
    void helpNeedsNoReadableConfigFile() {
        Run run = run("--config", "/no/such/chokepoint.yaml", "topics", "create", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: chokepoint topics create ");
    }

    @Test
    void helpForAnUnknownCommandNamesItAndTheKnownOnes() {
        Run run = run("help", "topics", "drop");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("'chokepoint topics' has no command 'drop'; its commands: create");
    }
}
