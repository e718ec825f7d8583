package io.chokepoint.rules.model;

import java.util.List;
import java.util.stream.Collectors;

/** A rule file (or topic value) is invalid; carries every problem found, not just the first. */
public final class RuleFileException extends RuntimeException {

    private final List<RuleProblem> problems;

    public RuleFileException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
