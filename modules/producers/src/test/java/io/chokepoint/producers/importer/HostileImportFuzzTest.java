package io.chokepoint.producers.importer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes a CSV or JSON-lines file holds, reading it ends within a second, with events,
 * rejects (one line each, naming the file) or one {@link BadFileException}, never another exception.
 */
class HostileImportFuzzTest {

    static final String MILESTONE_HEADER = "shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier\n";
    static Path dir;

    @BeforeContainer
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("hostile-import");
    }

    @AfterContainer
    static void removeDir() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<String> csvCells() {
        // the characters CSV parsing turns on, plus a little of everything else
        return Arbitraries.strings().withChars(",\"\n\r\t ;\\'\uFEFF\u0000é").withCharRange('0', 'z')
                .ofMaxLength(400);
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\":,\n \\-.0123456789eEtrufalsn").withCharRange('a', 'z')
                .ofMaxLength(400);
    }

    @net.jqwik.api.Example
    void a_header_of_empty_names_only() throws Exception {
        assertReadsCleanly("empty-names.csv", ", ,,,,, ,,,,, ");
    }

    @Property(tries = 150)
    void a_milestone_csv_with_hostile_rows_never_crashes(@ForAll("csvCells") String body) throws Exception {
        assertReadsCleanly("m.csv", MILESTONE_HEADER + body);
    }

    @Property(tries = 100)
    void any_text_as_a_csv_file_never_crashes(@ForAll("csvCells") String whole) throws Exception {
        assertReadsCleanly("any.csv", whole);
    }

    @Property(tries = 150)
    void json_lines_of_hostile_objects_never_crash(@ForAll("jsonish") String body) throws Exception {
        assertReadsCleanly("m.jsonl", "{\"shipment_id\":\"S1\",\"hs_code\":\"850511\"}\n" + body);
    }

    private static void assertReadsCleanly(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reading = new Thread(() -> {
            try (EventFileReader reader = EventFileReader.open(file, errors::add, 20)) {
                while (reader.next() != null) {
                    assertThat(reader.valid()).isLessThanOrEqualTo(reader.read());
                }
            } catch (BadFileException e) {
                assertThat(e.getMessage()).as("one clear line naming the file").contains(name).doesNotContain("\n\tat ");
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "hostile-import");
        reading.start();
        reading.join(10_000);
        if (reading.isAlive()) {
            StackTraceElement[] at = reading.getStackTrace();
            reading.interrupt();
            throw new AssertionError("reading " + content.length() + " chars hangs at " + Arrays.toString(at).replace(", ", "\n  "));
        }
        if (failure.get() != null) {
            throw new AssertionError("reading crashed instead of rejecting: " + failure.get(), failure.get());
        }
        assertThat(errors).allSatisfy(line -> assertThat(line).contains(dir.toString()));
    }
}
