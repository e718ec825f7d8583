package io.chokepoint.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged distribution (target/chokepoint) as a user or the image runs it: its own launcher,
 * from a foreign working directory, with the embedded registry it carries.
 */
class DistributionIT {

    private static final Path HOME = Path.of("target/chokepoint").toAbsolutePath();
    private static final Path LAUNCHER = HOME.resolve("bin/chokepoint");

    @TempDir
    Path cwd;

    private record Run(int exit, String out, String err) {}

    private Run run(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList())
                .directory(cwd.toFile())
                .redirectOutput(cwd.resolve("out").toFile())
                .redirectError(cwd.resolve("err").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/chokepoint " + String.join(" ", args) + " did not exit within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(cwd.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(cwd.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void theLayoutHoldsAnExecutableLauncherTheLibrariesAndTheRegistry() throws IOException {
        assertThat(Files.isExecutable(LAUNCHER)).isTrue();
        try (Stream<Path> libs = Files.list(HOME.resolve("lib"))) {
            List<String> names = libs.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("chokepoint-cli")).anyMatch(n -> n.startsWith("kafka-streams-"))
                    .allMatch(n -> n.endsWith(".jar"));
        }
        try (Stream<Path> registry = Files.list(HOME.resolve("registry"))) {
            assertThat(registry.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-runner.jar"));
        }
    }

    @Test
    void theDemoSmokeTestRunsFromAnyDirectoryOnTheRegistryItCarries() throws Exception {
        Run run = run(Map.of(), "demo", "--smoke-only", "--duration", "1s");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("read back through the registry").contains("the temporary data directory is removed");
    }

    @Test
    void aJavaHomeWithoutJavaIsOneActionableLine() throws Exception {
        Run run = run(Map.of("JAVA_HOME", cwd.resolve("no-jdk").toString()), "--help");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("JAVA_HOME").contains("JDK 17+");
        assertThat(run.out()).isEmpty();
    }
}
