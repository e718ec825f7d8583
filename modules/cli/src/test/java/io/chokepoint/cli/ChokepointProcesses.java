package io.chokepoint.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code chokepoint} commands as child JVMs on the test class path, each with its own config file
 * and its output in files: a component that must really die ({@code kill -9}) or must see only its
 * own configuration. {@link #close} stops whatever is still running.
 */
final class ChokepointProcesses implements AutoCloseable {

    record Child(String name, Process process, Path out, Path errFile) {
        String err() throws IOException {
            return Files.readString(errFile, StandardCharsets.UTF_8);
        }

        String output() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        /** SIGKILL: no shutdown hook, no clean close of the clients or the stores. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    ChokepointProcesses(Path dir) {
        this.dir = dir;
    }

    /** A port free at the moment, for a child's HTTP server or a registry started on a known port. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts {@code chokepoint --config CONFIG COMMAND…}; a second child of the same name appends to its files. */
    Child start(String name, Path config, String... command) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> line = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", classpath, Main.class.getName(), "--config", config.toString()));
        line.addAll(List.of(command));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(line)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile())).start();
        started.add(process);
        return new Child(name, process, out, err);
    }

    @Override
    public void close() {
        started.forEach(ChokepointProcesses::stop);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
