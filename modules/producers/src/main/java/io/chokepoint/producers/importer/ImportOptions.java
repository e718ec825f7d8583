package io.chokepoint.producers.importer;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One import: what kind of facts, from where ({@code -} is standard input), in which format
 * (empty = from the file extension), and how.
 *
 * @param rejectFile    where the reject report goes; empty = next to the input ({@code F.rejects.csv})
 * @param maxLineLength longest accepted line in characters
 * @param maxShown      rejects printed on stderr before only counting them
 */
public record ImportOptions(ImportKind kind, String input, Optional<InputFormat> format, boolean dryRun, boolean atomic,
                            Optional<Path> rejectFile, int maxLineLength, int maxShown) {

    public static final String STDIN = "-";
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
    public static final int DEFAULT_MAX_SHOWN = 50;

    public static ImportOptions of(ImportKind kind, String input) {
        return new ImportOptions(kind, input, Optional.empty(), false, false, Optional.empty(), DEFAULT_MAX_LINE_LENGTH,
                DEFAULT_MAX_SHOWN);
    }

    public ImportOptions withFormat(InputFormat f) {
        return new ImportOptions(kind, input, Optional.ofNullable(f), dryRun, atomic, rejectFile, maxLineLength, maxShown);
    }

    public ImportOptions withDryRun(boolean d) {
        return new ImportOptions(kind, input, format, d, atomic, rejectFile, maxLineLength, maxShown);
    }

    public ImportOptions withAtomic(boolean a) {
        return new ImportOptions(kind, input, format, dryRun, a, rejectFile, maxLineLength, maxShown);
    }

    public ImportOptions withRejectFile(Path p) {
        return new ImportOptions(kind, input, format, dryRun, atomic, Optional.ofNullable(p), maxLineLength, maxShown);
    }

    public ImportOptions withMaxLineLength(int n) {
        return new ImportOptions(kind, input, format, dryRun, atomic, rejectFile, n, maxShown);
    }

    public boolean fromStdin() {
        return STDIN.equals(input);
    }

    /** {@code data/licences.csv} → {@code data/licences.rejects.csv}; standard input → {@code stdin.rejects.csv}. */
    public Path resolvedRejectFile() {
        if (rejectFile.isPresent()) {
            return rejectFile.get();
        }
        if (fromStdin()) {
            return Path.of("stdin.rejects.csv");
        }
        Path path = Path.of(input);
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return path.resolveSibling(stem + ".rejects.csv");
    }
}
