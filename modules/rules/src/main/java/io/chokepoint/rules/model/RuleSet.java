package io.chokepoint.rules.model;

import io.chokepoint.events.yaml.YamlProblem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable set of rules by id, loaded from rule files or the shipped defaults. */
public final class RuleSet {

    /** Classpath resource of the default rules shipped with Chokepoint. */
    public static final String DEFAULT_RESOURCE = "/io/chokepoint/rules/default-rules.yaml";

    private final Map<String, Rule> byId;

    private RuleSet(Map<String, Rule> byId) {
        this.byId = byId;
    }

    public static RuleSet of(Collection<Rule> rules) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        return new RuleSet(java.util.Collections.unmodifiableMap(byId));
    }

    public static RuleSet empty() {
        return of(List.of());
    }

    /**
     * Loads and validates rule files; a rule id defined in two files is an error. Every problem of
     * every file is reported together.
     */
    public static RuleSet load(List<Path> files, RuleParser parser) {
        List<YamlProblem> problems = new ArrayList<>();
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                problems.add(YamlProblem.ofFile(file.toString(), "file does not exist"));
                continue;
            } catch (CharacterCodingException e) {
                problems.add(YamlProblem.ofFile(file.toString(), "is not valid UTF-8"));
                continue;
            } catch (IOException e) {
                problems.add(YamlProblem.ofFile(file.toString(), "cannot be read: " + e.getMessage()));
                continue;
            }
            try {
                for (Rule rule : parser.parse(text, file.toString())) {
                    Rule previous = byId.putIfAbsent(rule.id(), rule);
                    if (previous != null) {
                        problems.add(new YamlProblem(file.toString(), lineOf(rule.origin()), 1, rule.id() + ".id",
                                "rule id '" + rule.id() + "' is already defined at " + previous.origin()));
                    }
                }
            } catch (RuleFileException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        return new RuleSet(java.util.Collections.unmodifiableMap(byId));
    }

    /** The rules shipped with Chokepoint (resource {@value #DEFAULT_RESOURCE}). */
    public static RuleSet defaults() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default rules resource " + DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return of(new RuleParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-rules.yaml"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String defaultRulesText() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return new String(java.util.Objects.requireNonNull(in, DEFAULT_RESOURCE).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Optional<Rule> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Rule> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    private static int lineOf(String origin) {
        int colon = origin.lastIndexOf(':');
        try {
            return colon < 0 ? 0 : Integer.parseInt(origin.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
