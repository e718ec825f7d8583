package io.chokepoint.cli;

import io.chokepoint.events.config.ChokepointConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single {@code chokepoint} command. Global options are accepted before or after the
 * subcommand; they become one {@link ChokepointConfig} (file → environment → flags) handed to
 * the subcommand through its public {@code config} field.
 */
@Command(name = "chokepoint",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Real-time supply-chain disruption monitor on Apache Kafka.",
        subcommands = {
                DemoCommand.class,
                TopicsCommand.class,
                ConfigCommand.class},
        footer = {"", "Examples:",
                "  chokepoint demo",
                "  chokepoint --config prod.yaml topics create",
                "  chokepoint config show --set topic.prefix=staging-"})
public final class ChokepointCommand implements Runnable {

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Config file (.properties or .yaml). Environment CHOKEPOINT_* and flags override it.")
    Path configFile;

    @Option(names = "--bootstrap-servers", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (config key bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Confluent-compatible schema registry URL (config key schema.registry.url).")
    String schemaRegistryUrl;

    @Option(names = "--set", scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE",
            description = "Any config key, e.g. --set kafka.security.protocol=SASL_SSL. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces of unexpected errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the subcommands of every module. */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new ChokepointCommand());
        ModuleCommands.register(commandLine);
        commandLine.addSubcommand(new HelpCommand());
        addHelpOptionWhereMissing(commandLine);
        CommandSummaries.install(commandLine);
        commandLine.setExecutionStrategy(parseResult -> {
            Integer helpShown = CommandLine.executeHelpRequest(parseResult);
            if (helpShown != null) {
                return helpShown; // --help needs no configuration, not even a readable --config file
            }
            try {
                injectConfig(parseResult, environment);
            } catch (RuntimeException e) {
                // a bad --config file or setting is the user's mistake: one line, exit 2, like any other
                throw new CommandLine.ExecutionException(commandLine, e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler(new FriendlyErrors(() -> isVerbose(commandLine)));
        return commandLine;
    }

    /** Every command, group or leaf, answers {@code -h}/{@code --help}, whether or not its class declares it. */
    private static void addHelpOptionWhereMissing(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        command.getSubcommands().values().forEach(ChokepointCommand::addHelpOptionWhereMissing);
    }

    private static boolean isVerbose(CommandLine commandLine) {
        ParseResult result = commandLine.getParseResult();
        if (result == null) {
            return false;
        }
        return result.asCommandLineList().stream()
                .anyMatch(cl -> cl.getParseResult() != null && cl.getParseResult().hasMatchedOption("--verbose"));
    }

    /** Collects the global options wherever they were given (deepest wins) and sets {@code config} on the leaf. */
    private static void injectConfig(ParseResult parseResult, Map<String, String> environment) {
        Optional<Path> file = Optional.empty();
        Map<String, String> flags = new LinkedHashMap<>();
        for (CommandLine level : parseResult.asCommandLineList()) {
            ParseResult pr = level.getParseResult();
            if (pr == null) {
                continue;
            }
            if (pr.hasMatchedOption("--config")) {
                file = Optional.of(pr.matchedOptionValue("--config", (Path) null));
            }
            if (pr.hasMatchedOption("--bootstrap-servers")) {
                flags.put(ChokepointConfig.BOOTSTRAP_SERVERS, pr.matchedOptionValue("--bootstrap-servers", ""));
            }
            if (pr.hasMatchedOption("--schema-registry-url")) {
                flags.put(ChokepointConfig.SCHEMA_REGISTRY_URL, pr.matchedOptionValue("--schema-registry-url", ""));
            }
            if (pr.hasMatchedOption("--set")) {
                flags.putAll(pr.matchedOptionValue("--set", Map.<String, String>of()));
            }
        }
        ChokepointConfig config = ChokepointConfig.load(file, environment, flags);
        config.warnings().forEach(w -> System.err.println("warning: " + w));
        List<CommandLine> levels = parseResult.asCommandLineList();
        for (CommandLine level : levels) {
            setConfigField(level.getCommand(), config);
        }
    }

    private static void setConfigField(Object command, ChokepointConfig config) {
        if (command == null) {
            return;
        }
        try {
            Field field = command.getClass().getField("config");
            if (field.getType() == ChokepointConfig.class) {
                field.set(command, config);
            }
        } catch (NoSuchFieldException e) {
            // a command that needs no configuration
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot hand the configuration to " + command.getClass().getName(), e);
        }
    }
}
