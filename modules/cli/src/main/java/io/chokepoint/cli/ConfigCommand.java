package io.chokepoint.cli;

import io.chokepoint.events.config.ChokepointConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "config", description = "Inspect the effective configuration.",
        subcommands = ConfigCommand.Show.class,
        footer = {"", "Example:", "  CHOKEPOINT_TOPIC_PREFIX=prod- chokepoint --config chokepoint.yaml config show"})
final class ConfigCommand {

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print every setting with where it came from (file, environment, flag); secrets are redacted.",
            footer = {"", "Example:", "  chokepoint config show --config chokepoint.yaml --set kafka.acks=all"})
    static final class Show implements Callable<Integer> {

        public ChokepointConfig config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, ChokepointConfig.Source> sources = config.sources();
            if (config.redacted().isEmpty()) {
                out.println("# no settings: every component uses its defaults (see README, Configuration)");
            }
            config.redacted().forEach((key, value) ->
                    out.printf("%s=%s    # %s%n", key, value, sources.getOrDefault(key, ChokepointConfig.Source.DEFAULT).name().toLowerCase()));
            out.flush();
            return 0;
        }
    }
}
