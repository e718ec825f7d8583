package io.chokepoint.devcluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Apicurio Registry — a real registry serving the Confluent Schema Registry API under
 * {@code /apis/ccompat/v7} — run as a child JVM on loopback with its schemas in an H2 file in its work directory and
 * BACKWARD global compatibility (its own default is NONE). The child dies with its parent:
 * {@link #close()}, a shutdown hook, and any start failure all destroy it.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    /** Set by the distribution's launcher to its registry/ folder. */
    public static final String HOME_PROPERTY = "chokepoint.registry.home";
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private SchemaRegistryServer(Process process, int port, Path logFile, Thread shutdownHook) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = shutdownHook;
    }

    public static SchemaRegistryServer start(Optional<Path> home, int requestedPort, Path workDir, Duration timeout) {
        return start(home, requestedPort, workDir, timeout, Duration.ZERO);
    }

    /** @param exitGrace on JVM exit, how long to leave the child to an orderly close (another hook's) before killing it */
    public static SchemaRegistryServer start(Optional<Path> home, int requestedPort, Path workDir, Duration timeout, Duration exitGrace) {
        Path runner = runnerJar(home.orElseGet(SchemaRegistryServer::builtHome));
        int port = requestedPort == 0 ? FreePorts.pick() : requestedPort;
        Path logFile = workDir.resolve("schema-registry.log");
        List<String> command = new ArrayList<>(List.of(
                javaExecutable(),
                "-Xms64m", "-Xmx384m",
                // the registry is a dev fixture: favour start-up time over peak throughput
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dregistry.rules.global.compatibility=BACKWARD",
                // schemas in an H2 file beside the Kafka data: a kept data directory (demo --data-dir)
                // restarts with the schema ids its records carry
                "-Dquarkus.datasource.jdbc.url=" + h2Url(workDir.resolve("db").resolve("registry")),
                "-Dquarkus.log.level=WARN",
                "-jar", runner.toString()));
        Process process;
        try {
            Files.createDirectories(workDir);
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the schema registry (" + runner + "): " + e.getMessage(), e);
        }
        Thread hook = new Thread(() -> {
            try {
                process.waitFor(exitGrace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }, "schema-registry-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
        SchemaRegistryServer server = new SchemaRegistryServer(process, port, logFile, hook);
        try {
            server.awaitReady(timeout);
            server.enforceBackwardCompatibility();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static String h2Url(Path file) {
        String path = file.toAbsolutePath().toString();
        if (path.contains(";")) {
            throw new IllegalArgumentException("the registry's data directory must not contain ';' (H2 reads it as a URL option): " + path);
        }
        return "jdbc:h2:file:" + path;
    }

    /** Base URL of the Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry exited with status " + process.exitValue()
                        + " during start-up; its log (" + logFile + ") ends with:\n" + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
        }
        throw new IllegalStateException("the schema registry did not answer " + url() + "/subjects within "
                + timeout.toSeconds() + " s; its log (" + logFile + ") ends with:\n" + tail());
    }

    /**
     * The start flag makes Apicurio enforce BACKWARD, but its Confluent API still reports NONE
     * until the level is set through that API; set it so clients asking {@code GET /config} see the truth.
     */
    private void enforceBackwardCompatibility() {
        HttpRequest put = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the schema registry refused BACKWARD compatibility: HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot configure the schema registry: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring the schema registry", e);
        }
    }

    private String tail() {
        try (Stream<String> lines = Files.lines(logFile)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
        log.debug("schema registry (pid {}) stopped", process.pid());
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Where the registry server is unpacked: the distribution's registry/ folder (its launcher
     * sets {@value #HOME_PROPERTY}), else the folder the build unpacked it into.
     */
    private static Path builtHome() {
        String distributionHome = System.getProperty(HOME_PROPERTY);
        if (distributionHome != null && !distributionHome.isBlank()) {
            return Path.of(distributionHome);
        }
        try (InputStream in = SchemaRegistryServer.class.getResourceAsStream("devcluster.properties")) {
            if (in == null) {
                throw new IllegalStateException("devcluster.properties is missing; rebuild the devcluster module");
            }
            Properties props = new Properties();
            props.load(in);
            return Path.of(props.getProperty("registry.home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path runnerJar(Path home) {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("the schema registry server is not unpacked at " + home
                    + "; run './mvnw -B package -DskipTests' once (it unpacks io.apicurio:apicurio-registry-app),"
                    + " or set -D" + HOME_PROPERTY + " to an unpacked registry");
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
