package io.chokepoint.rules.command;

import io.chokepoint.events.config.ChokepointConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code chokepoint rules}: test, backtest and apply alert rules. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"Alert rules: unit-test them, backtest them against history, publish them to running evaluators. "
                + "Rule file reference: README.md, section Alert rules."},
        subcommands = {RulesTestCommand.class, RulesBacktestCommand.class, RulesApplyCommand.class},
        footer = {"", "Examples:",
                "  chokepoint rules test my-rules.test.yaml",
                "  chokepoint rules backtest --rules my-rules.yaml --history milestones.csv licences.csv tariffs.csv",
                "  chokepoint rules apply my-rules.yaml"})
public final class RulesCommand implements Callable<Integer> {

    public ChokepointConfig config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
