package io.chokepoint.alerts.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's examples: each is the block after a {@code <!-- example: NAME -->} marker. */
public final class Readme {

    public static final Path FILE = Path.of("../../README.md");
    /** The shipped default rules, for examples that show what they emit. */
    public static final Path DEFAULT_RULES = Path.of("../rules/src/main/resources/io/chokepoint/rules/default-rules.yaml");

    private Readme() {
    }

    /** The fenced block, quote or list right after the marker, without fences or quote marks. */
    public static String example(String name) {
        String readme;
        try {
            readme = Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int marker = readme.indexOf("<!-- example: " + name);
        assertThat(marker).as("README marker for " + name).isNotNegative();
        List<String> lines = readme.substring(readme.indexOf('\n', marker) + 1).lines().toList();
        StringBuilder out = new StringBuilder();
        boolean fenced = lines.get(0).startsWith("```");
        for (String l : fenced ? lines.subList(1, lines.size()) : lines) {
            if (fenced ? l.startsWith("```") : l.isBlank()) {
                break;
            }
            out.append(fenced ? l : l.replaceFirst("^\\s*> ?", "")).append('\n');
        }
        return out.toString();
    }

    /** A quoted paragraph as one line. */
    public static String paragraph(String name) {
        return String.join(" ", example(name).strip().lines().toList());
    }
}
