package io.chokepoint.alerts.command;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.silence.MatcherLint;
import io.chokepoint.alerts.silence.Silence;
import io.chokepoint.alerts.silence.SilenceStore;
import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code chokepoint alerts silence add|list|expire}: manages silences directly in the silences
 * topic, so it works whether or not a dispatcher is running; running dispatchers pick changes up
 * within a second.
 */
@Command(name = "silence", description = "Create, list and expire alert silences (shared by all alert dispatchers).",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class},
        footer = {"", "Example:", "  chokepoint alerts silence add -m commodity_group=rare-earth-metals --duration 4h --comment 'known outage'"})
public final class SilenceCommand {

    private static SilenceStore open(ChokepointConfig config, boolean createTopics) {
        KafkaReachability.require(config);
        if (createTopics) {
            AlertsService.createMissingTopics(config);
        }
        return AlertsService.openSilences(config, Clock.systemUTC());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Silence the alerts matching all given matchers, from now for the given duration.",
            footer = {"", "Example:", "  chokepoint alerts silence add -m severity=WARNING -m hs_prefix=8505 --duration 2h --author ops --comment 'magnet plant audit'"})
    public static final class Add implements Callable<Integer> {

        public ChokepointConfig config;

        @Option(names = {"-m", "--matcher"}, required = true, paramLabel = "MATCHER",
                description = "name=value, name!=value, name=~regex, name!~regex or hs_prefix=NNNN; repeat for more (all must match).")
        List<String> matchers;

        @Option(names = "--duration", defaultValue = "2h", paramLabel = "DURATION", description = "How long, e.g. 30m, 2h, 1d (default ${DEFAULT-VALUE}).")
        String duration;

        @Option(names = "--author", defaultValue = "cli", description = "Who creates the silence.")
        String author;

        @Option(names = "--comment", defaultValue = "", description = "Why.")
        String comment;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Duration d;
            try {
                d = ChokepointConfig.parseDuration("--duration", duration);
            } catch (ChokepointConfig.ConfigProblem e) {
                throw new IllegalArgumentException("--duration: must be a duration such as 30m, 2h or 1d, got '" + duration + "'");
            }
            try (SilenceStore store = open(config, true)) {
                Silence s = store.add(matchers, d, author, comment);
                spec.commandLine().getOut().println(s.id());
                spec.commandLine().getOut().flush();
                for (String warning : new MatcherLint(CommodityCatalogue.defaultCatalogue()).warnings(s.matchers())) {
                    spec.commandLine().getErr().println("chokepoint: warning: " + warning);
                }
                spec.commandLine().getErr().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List silences, active first.",
            footer = {"", "Example:", "  chokepoint alerts silence list --all"})
    public static final class ListSilences implements Callable<Integer> {

        public ChokepointConfig config;

        @Option(names = "--all", description = "Include expired silences.")
        boolean all;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (SilenceStore store = open(config, false)) {
                print(spec.commandLine().getOut(), store.list(), Instant.now(), all);
            }
            return 0;
        }

        static void print(PrintWriter out, List<Silence> silences, Instant now, boolean all) {
            out.printf("%-36s %-8s %-20s %-12s %s%n", "ID", "STATUS", "ENDS", "CREATED BY", "MATCHERS / COMMENT");
            for (Silence s : silences) {
                if (!all && s.status(now).equals("expired")) {
                    continue;
                }
                out.printf("%-36s %-8s %-20s %-12s %s%s%n", s.id(), s.status(now), s.endsAt().toString().replaceAll("\\.\\d+Z$", "Z"),
                        s.createdBy(), s.matchers().stream().map(Object::toString).collect(Collectors.joining(", ")),
                        s.comment().isEmpty() ? "" : "  # " + s.comment());
            }
            out.flush();
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now (it stays listed as expired).",
            footer = {"", "Example:", "  chokepoint alerts silence expire 3f2a9c1e-5b7d-4e0a-9c61-0d2b8e4f7a10"})
    public static final class Expire implements Callable<Integer> {

        public ChokepointConfig config;

        @Parameters(paramLabel = "ID", description = "Silence id, as printed by add and list.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (SilenceStore store = open(config, false)) {
                Optional<SilenceStore.Expiry> expiry = store.expire(id);
                if (expiry.isEmpty()) {
                    throw new IllegalArgumentException("no silence with id '" + id + "' (see chokepoint alerts silence list --all)");
                }
                if (expiry.get().alreadyExpired()) {
                    throw new IllegalArgumentException(expiry.get().alreadyExpiredMessage());
                }
                spec.commandLine().getOut().println("expired " + id);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
