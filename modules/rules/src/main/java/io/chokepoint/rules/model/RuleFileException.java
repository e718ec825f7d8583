package io.chokepoint.rules.model;

import io.chokepoint.events.yaml.InvalidYamlException;
import io.chokepoint.events.yaml.YamlProblem;

import java.util.List;

/** A rule file (or topic value) is invalid; carries every problem found, not just the first. */
public final class RuleFileException extends InvalidYamlException {

    public RuleFileException(List<YamlProblem> problems) {
        super(problems);
    }
}
