package io.chokepoint.rules.command;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.rules.RulePublisher;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleFileException;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code chokepoint rules apply}: validate rule files and publish them to the alert-rules topic. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Validate rule files and publish every rule to the compacted alert-rules topic (key = rule id). "
                + "Running evaluators apply the change without a restart. Nothing is published unless every rule is valid. "
                + "--delete ID removes a rule (a tombstone); its firing alerts resolve."},
        footer = {"", "Examples:", "  chokepoint rules apply my-rules.yaml --bootstrap-servers kafka:9092",
                "  chokepoint rules apply --delete magnet-delay-p95"})
public final class RulesApplyCommand implements Callable<Integer> {

    private static final Duration TOPIC_READ_TIMEOUT = Duration.ofSeconds(30);

    public ChokepointConfig config;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Rule files to publish.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--delete", paramLabel = "ID", arity = "1..*", description = "Rule ids to delete.")
    List<String> delete = new ArrayList<>();

    @Option(names = "--dry-run", description = "Validate only; publish nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.isEmpty() && delete.isEmpty()) {
            err.println("rules apply: name a rule FILE to publish or --delete ID");
            return 2;
        }
        RuleSet rules;
        try {
            rules = RuleSet.load(files, new RuleParser());
        } catch (RuleFileException e) {
            err.println(e.getMessage());
            err.println("nothing published");
            return 2;
        }
        if (dryRun) {
            out.println(rules.size() + " rule(s) valid: " + String.join(", ", rules.all().stream().map(Rule::id).toList()));
            return 0;
        }
        try (RulePublisher publisher = new RulePublisher(config)) {
            if (!delete.isEmpty()) {
                Set<String> published = publisher.publishedRuleIds(TOPIC_READ_TIMEOUT);
                Set<String> applied = rules.all().stream().map(Rule::id).collect(Collectors.toSet());
                List<String> unknown = delete.stream().filter(id -> !published.contains(id) && !applied.contains(id)).toList();
                if (!unknown.isEmpty()) {
                    err.println("rules apply: --delete " + String.join(", ", unknown) + ": no such rule on " + publisher.topicName()
                            + " (" + (published.isEmpty() ? "it holds no rule" : "it holds " + String.join(", ", published)) + ")"
                            + "; a rule from a rules file is switched off with enabled: false; nothing published");
                    err.flush();
                    return 2;
                }
            }
            publisher.apply(rules.all());
            publisher.delete(delete);
            rules.all().forEach(r -> out.println("applied " + r.id() + " to " + publisher.topicName()));
            delete.forEach(id -> out.println("deleted " + id + " from " + publisher.topicName()));
        } catch (ChokepointConfig.ConfigProblem e) {
            err.println("rules apply: " + e.getMessage());
            return 2;
        } catch (KafkaException | IllegalStateException e) {
            err.println("rules apply: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }
}
