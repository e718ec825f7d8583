package io.chokepoint.cli;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.config.KnownSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "config", description = "Inspect the effective configuration.",
        subcommands = ConfigCommand.Show.class,
        footer = {"", "Example:", "  CHOKEPOINT_TOPIC_PREFIX=prod- chokepoint --config chokepoint.yaml config show"})
final class ConfigCommand {

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print every setting, set or default, with where it came from (default, file, environment, "
                    + "flag). Secrets are redacted. Invalid values are listed on stderr (exit 2); keys no component reads "
                    + "are warned about (a typo, or a setting of another version)."},
            footer = {"", "Example:", "  chokepoint config show --config chokepoint.yaml --set kafka.acks=all"})
    static final class Show implements Callable<Integer> {

        public ChokepointConfig config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            KnownSettings known = new KnownSettings();
            List<String> problems = ModuleSettings.problems(config.recordingInto(known));

            Map<String, String> set = config.redacted();
            Map<String, ChokepointConfig.Source> sources = config.sources();
            Map<String, String> lines = new TreeMap<>();
            known.defaults().forEach((key, fallback) -> lines.put(key, fallback
                    .map(value -> key + "=" + value + "    # default")
                    .orElse(key + "=    # not set")));
            set.forEach((key, value) -> lines.put(key, key + "=" + value + "    # "
                    + sources.getOrDefault(key, ChokepointConfig.Source.DEFAULT).name().toLowerCase(Locale.ROOT)
                    + (isKnown(known, key) ? "" : ", unknown: ignored")));
            lines.values().forEach(out::println);
            out.flush();

            set.keySet().stream().filter(key -> !isKnown(known, key)).forEach(key -> err.println("chokepoint: warning: '" + key
                    + (key.startsWith(ChokepointConfig.KAFKA_PREFIX)
                    ? "' is not a Kafka client property (kafka.* passes through to the Kafka clients); Kafka ignores it"
                    : "' is not a Chokepoint setting and is ignored" + known.closest(key).map(k -> "; did you mean '" + k + "'?").orElse(""))));
            problems.forEach(problem -> err.println("chokepoint: " + problem));
            err.flush();
            return problems.isEmpty() ? 0 : FriendlyErrors.USER_ERROR;
        }

        private static boolean isKnown(KnownSettings known, String key) {
            if (key.startsWith(ChokepointConfig.KAFKA_PREFIX)) {
                return ModuleSettings.isKafkaClientProperty(key.substring(ChokepointConfig.KAFKA_PREFIX.length()));
            }
            return known.isKnown(key);
        }
    }
}
