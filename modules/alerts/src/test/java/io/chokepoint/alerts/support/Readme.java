package io.chokepoint.alerts.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation's examples: each is the block after a {@code <!-- example: NAME -->} marker,
 * in the README or in one of the pages under {@code docs/} it links to.
 */
public final class Readme {

    public static final Path FILE = Path.of("../../README.md");
    /** The reference pages the README links to; examples may live there too. */
    public static final Path DOCS = Path.of("../../docs");
    /** The shipped default rules, for examples that show what they emit. */
    public static final Path DEFAULT_RULES = Path.of("../rules/src/main/resources/io/chokepoint/rules/default-rules.yaml");

    private Readme() {
    }

    /** Where markers are looked for, in this order: README.md, then every docs/*.md by name. */
    public static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(FILE));
        if (Files.isDirectory(DOCS)) {
            try (Stream<Path> docs = Files.list(DOCS)) {
                docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pages;
    }

    /** The fenced block, quote or list right after the marker, without fences or quote marks. */
    public static String example(String name) {
        String marker = "<!-- example: " + name;
        String page = null;
        for (Path p : pages()) {
            String text = read(p);
            if (text.contains(marker)) {
                page = text;
                break;
            }
        }
        assertThat(page).as("README marker for " + name + " ('" + marker + "' in README.md or docs/*.md)").isNotNull();
        int at = page.indexOf(marker);
        List<String> lines = page.substring(page.indexOf('\n', at) + 1).lines().toList();
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
