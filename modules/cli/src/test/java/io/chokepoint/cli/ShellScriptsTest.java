package io.chokepoint.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's shell scripts run under {@code set -o pipefail}; a pipe into a reader that stops
 * early (head, grep -q, grep -m) can kill the writer with SIGPIPE and fail the script at random,
 * as CI did before any test ran.
 */
class ShellScriptsTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern EARLY_EXIT_READER = Pattern.compile(
            "\\|\\s*(head\\b|tail\\s+-[nc]?\\s*\\+|grep\\s+(-\\w*[qm]|--quiet|--max-count)|sed\\s+(-n\\s+)?'?\\d*q|awk\\b.*\\bexit\\b)");

    @Test
    void noScriptPipesIntoAReaderThatStopsEarly() throws IOException {
        List<Path> scripts = List.of(ROOT.resolve(".ci/run"), ROOT.resolve("chokepoint"),
                ROOT.resolve("modules/cli/src/dist/bin/chokepoint"));
        for (Path script : scripts) {
            assertThat(script).exists();
            List<String> lines = Files.readAllLines(script);
            assertThat(lines).as(script + " runs under pipefail").anyMatch(l -> l.contains("pipefail"));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("#")) {
                    continue;
                }
                assertThat(EARLY_EXIT_READER.matcher(line).find())
                        .as("%s:%d pipes into a reader that may exit before the writer: %s", ROOT.relativize(script), i + 1, line)
                        .isFalse();
            }
        }
    }

    @Test
    void thePatternCatchesWhatBrokeCi() {
        assertThat(EARLY_EXIT_READER.matcher("mvn -v | head -n 1").find()).isTrue();
        assertThat(EARLY_EXIT_READER.matcher("java -version 2>&1 | grep -qE 'version'").find()).isTrue();
        assertThat(EARLY_EXIT_READER.matcher("java -version 2>&1 | sed -n 's/x/y/p' | cut -d. -f1").find()).isFalse();
    }
}
