package io.chokepoint.producers.importer;

import java.util.Locale;
import java.util.Optional;

/** CSV with a header, or JSON lines with the same field names. */
public enum InputFormat {
    CSV, JSONL;

    /** From the file name: {@code .csv}; {@code .jsonl}, {@code .ndjson} or {@code .json}. */
    public static Optional<InputFormat> fromFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
            return Optional.of(JSONL);
        }
        return Optional.empty();
    }
}
