package io.chokepoint.devcluster.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The documentation's examples, for the tests that run them so they cannot drift: each is the
 * block after a {@code <!-- example: NAME -->} marker, in the README or in one of the pages under
 * {@code docs/} it links to. Paths are relative to a module's directory, where tests run.
 */
public final class DocExamples {

    public static final Path README = Path.of("../../README.md");
    /** The reference pages the README links to; examples may live there too. */
    public static final Path DOCS = Path.of("../../docs");

    private DocExamples() {
    }

    /** Where markers are looked for, in this order: README.md, then every docs/*.md by name. */
    public static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(README));
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
        String page = pages().stream().map(DocExamples::read).filter(text -> text.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("README marker for " + name + " ('" + marker + "' in README.md or docs/*.md) not found"));
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
