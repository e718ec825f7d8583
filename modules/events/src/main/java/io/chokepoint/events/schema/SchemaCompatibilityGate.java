package io.chokepoint.events.schema;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks every schema in a directory against its last released version under BACKWARD
 * compatibility: a reader on the current schema must read data written with the released one.
 * Run by the build; a non-empty result fails it.
 */
public final class SchemaCompatibilityGate {

    private static final Pattern FIELD_INDEX = Pattern.compile("^/fields/(\\d+)");

    private SchemaCompatibilityGate() {
    }

    /** One incompatibility, named for the person who has to fix it. */
    public record Violation(String schema, String field, String reason) {
        @Override
        public String toString() {
            return schema + ": field '" + field + "' " + reason;
        }
    }

    public static List<Violation> check(Path currentDir, Path releasedDir) throws IOException {
        List<Violation> violations = new ArrayList<>();
        try (Stream<Path> released = Files.list(releasedDir)) {
            for (Path releasedFile : released.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
                String file = releasedFile.getFileName().toString();
                Path currentFile = currentDir.resolve(file);
                if (!Files.exists(currentFile)) {
                    violations.add(new Violation(file, "*", "schema was released but is gone from " + currentDir));
                    continue;
                }
                violations.addAll(check(file, parse(releasedFile), parse(currentFile)));
            }
        }
        return violations;
    }

    public static List<Violation> check(String name, Schema released, Schema current) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        List<Violation> violations = new ArrayList<>();
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            violations.add(new Violation(name, fieldOf(current, incompatibility), describe(incompatibility)));
        }
        return violations;
    }

    /** Names the top-level field an incompatibility sits in; Avro reports a JSON pointer like /fields/3/type. */
    private static String fieldOf(Schema current, Incompatibility incompatibility) {
        if (incompatibility.getType() == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE) {
            return incompatibility.getMessage();
        }
        Matcher m = FIELD_INDEX.matcher(incompatibility.getLocation());
        if (m.find() && current.getType() == Schema.Type.RECORD) {
            int index = Integer.parseInt(m.group(1));
            if (index < current.getFields().size()) {
                return current.getFields().get(index).name();
            }
        }
        return incompatibility.getLocation();
    }

    private static String describe(Incompatibility incompatibility) {
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "was added without a default value, so data written with the released schema cannot be read";
            case TYPE_MISMATCH -> "changed type incompatibly at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
            case MISSING_ENUM_SYMBOLS -> "lost enum symbols " + incompatibility.getMessage() + " (add an enum default or keep them)";
            case MISSING_UNION_BRANCH -> "lost a union branch: " + incompatibility.getMessage();
            case NAME_MISMATCH -> "was renamed: " + incompatibility.getMessage() + " (use aliases)";
            default -> incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
        };
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SchemaCompatibilityGate CURRENT_DIR RELEASED_DIR");
        }
        List<Violation> violations = check(Path.of(args[0]), Path.of(args[1]));
        if (!violations.isEmpty()) {
            StringBuilder message = new StringBuilder("Schema change is not BACKWARD compatible with the released version:");
            violations.forEach(v -> message.append("\n  - ").append(v));
            throw new IllegalStateException(message.toString());
        }
        System.out.println("[schema-gate] every schema is BACKWARD compatible with " + args[1]);
    }
}
