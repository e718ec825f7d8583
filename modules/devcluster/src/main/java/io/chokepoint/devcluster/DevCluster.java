package io.chokepoint.devcluster;

import io.chokepoint.events.config.ChokepointConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The embedded default: a real Kafka (KRaft) and a real schema registry, started in parallel,
 * for {@code chokepoint demo} and for integration tests.
 */
public final class DevCluster implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final SchemaRegistryServer registry;
    private final Path workDir;
    private final boolean temporary;
    private final Duration kafkaStartTime;
    private final Duration registryStartTime;

    private DevCluster(EmbeddedKafka kafka, SchemaRegistryServer registry, Path workDir, boolean temporary,
                       Duration kafkaStartTime, Duration registryStartTime) {
        this.kafka = kafka;
        this.registry = registry;
        this.workDir = workDir;
        this.temporary = temporary;
        this.kafkaStartTime = kafkaStartTime;
        this.registryStartTime = registryStartTime;
    }

    public static DevCluster start() {
        return start(DevClusterOptions.defaults());
    }

    public static DevCluster start(DevClusterOptions options) {
        boolean temporary = options.dataDir().isEmpty();
        Path workDir = options.dataDir().orElseGet(DevCluster::temporaryDir);
        CompletableFuture<Timed<SchemaRegistryServer>> registry = CompletableFuture.supplyAsync(() -> Timed.of(() ->
                SchemaRegistryServer.start(options.registryHome(), options.registryPort(), workDir.resolve("registry"),
                        options.startTimeout(), options.exitGrace())));
        CompletableFuture<Timed<EmbeddedKafka>> kafka = CompletableFuture.supplyAsync(() -> Timed.of(() ->
                EmbeddedKafka.start(options.brokers(), workDir.resolve("kafka"), temporary, options.kafkaPort(),
                        options.startTimeout(), options.clientListener())));
        try {
            CompletableFuture.allOf(registry, kafka).join();
        } catch (CompletionException e) {
            registry.thenAccept(r -> r.value().close());
            kafka.thenAccept(k -> k.value().close());
            if (temporary) {
                Directories.deleteRecursively(workDir);
            }
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        return new DevCluster(kafka.join().value(), registry.join().value(), workDir, temporary,
                kafka.join().took(), registry.join().took());
    }

    /** Stops one Kafka node as a crash would (see {@link EmbeddedKafka#stopNode}); for fault-injection tests. */
    public void stopKafkaNode(int nodeId) {
        kafka.stopNode(nodeId);
    }

    /** Starts a node stopped by {@link #stopKafkaNode} again and waits until the cluster lists it. */
    public void startKafkaNode(int nodeId, Duration timeout) {
        kafka.startNode(nodeId, timeout);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** See {@link EmbeddedKafka#internalBootstrapServers()}. */
    public String internalBootstrapServers() {
        return kafka.internalBootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    /** A configuration pointing at this cluster. */
    public ChokepointConfig config() {
        return ChokepointConfig.of(Map.of(
                ChokepointConfig.BOOTSTRAP_SERVERS, bootstrapServers(),
                ChokepointConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl()));
    }

    public Duration kafkaStartTime() {
        return kafkaStartTime;
    }

    public Duration registryStartTime() {
        return registryStartTime;
    }

    /** The registry's child process, for tests that check nothing outlives the cluster. */
    public ProcessHandle registryProcess() {
        return ProcessHandle.of(registry.pid()).orElseThrow();
    }

    public Path workDir() {
        return workDir;
    }

    /** Stops the registry (its clients are gone by now), then the broker, then removes a temporary work directory. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            try {
                kafka.close();
            } finally {
                if (temporary) {
                    Directories.deleteRecursively(workDir);
                }
            }
        }
    }

    private static Path temporaryDir() {
        try {
            return Files.createTempDirectory("chokepoint-devcluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    private record Timed<T>(T value, Duration took) {
        static <T> Timed<T> of(java.util.function.Supplier<T> start) {
            long begin = System.nanoTime();
            T value = start.get();
            return new Timed<>(value, Duration.ofNanos(System.nanoTime() - begin));
        }
    }
}
