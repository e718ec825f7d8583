package io.chokepoint.events.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A YAML file is wrong; carries every problem found, not just the first, one per line of the
 * message. An {@link IllegalArgumentException} because it is always the user's mistake: the CLI
 * prints the message and exits 2, without a stack trace.
 */
public class InvalidYamlException extends IllegalArgumentException {

    private final List<YamlProblem> problems;

    public InvalidYamlException(List<YamlProblem> problems) {
        super(problems.stream().map(YamlProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid file has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public InvalidYamlException(YamlProblem problem) {
        this(List.of(problem));
    }

    public List<YamlProblem> problems() {
        return problems;
    }
}
