package io.chokepoint.devcluster;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Real Apache Kafka in this JVM: KRaft nodes that are broker and controller at once, on
 * loopback. The log directories are formatted with Kafka's own {@code StorageTool}, exactly as
 * {@code kafka-storage.sh format} does, then each node is a {@code KafkaRaftServer}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final List<KafkaRaftServer> servers;
    private final List<KafkaConfig> configs;
    private final String bootstrapServers;
    private final String internalBootstrapServers;
    private final Path dataDir;
    private final boolean temporary;

    private EmbeddedKafka(List<KafkaRaftServer> servers, List<KafkaConfig> configs, String bootstrapServers,
                          String internalBootstrapServers, Path dataDir, boolean temporary) {
        this.servers = new ArrayList<>(servers);
        this.configs = List.copyOf(configs);
        this.bootstrapServers = bootstrapServers;
        this.internalBootstrapServers = internalBootstrapServers;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * The listener clients connect to. The dev default is PLAINTEXT. A secured one (SASL_SSL, SSL)
     * is named {@value #NAME}, so its settings are {@code listener.name.client.*} broker
     * properties; inter-broker traffic then stays on a loopback PLAINTEXT listener of its own,
     * whose principal is {@code User:ANONYMOUS}: with an authorizer, make it a super user (as the
     * controller listener's) or the nodes cannot talk to each other.
     *
     * @param securityProtocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
     * @param brokerProperties added to every node's configuration (stores, SASL mechanisms, authorizer)
     */
    public record ClientListener(String securityProtocol, Map<String, String> brokerProperties) {
        public static final String NAME = "CLIENT";

        public ClientListener {
            brokerProperties = Map.copyOf(brokerProperties);
        }

        public static ClientListener plaintext() {
            return new ClientListener("PLAINTEXT", Map.of());
        }

        boolean secured() {
            return !"PLAINTEXT".equals(securityProtocol);
        }
    }

    public static EmbeddedKafka start(int nodes, Path dataDir, boolean temporary, int firstPort, Duration timeout) {
        return start(nodes, dataDir, temporary, firstPort, timeout, ClientListener.plaintext());
    }

    public static EmbeddedKafka start(int nodes, Path dataDir, boolean temporary, int firstPort, Duration timeout,
                                      ClientListener clientListener) {
        List<Integer> brokerPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        List<Integer> internalPorts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            brokerPorts.add(firstPort == 0 ? FreePorts.pick() : firstPort + 2 * i);
            controllerPorts.add(firstPort == 0 ? FreePorts.pick() : firstPort + 2 * i + 1);
            internalPorts.add(clientListener.secured() ? FreePorts.pick() : brokerPorts.get(i));
        }
        String voters = IntStream.range(0, nodes)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        String clusterId = clusterIdOf(dataDir);
        List<KafkaRaftServer> servers = new ArrayList<>();
        List<KafkaConfig> configs = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                Properties props = nodeProperties(i + 1, nodes, brokerPorts.get(i), controllerPorts.get(i), voters,
                        dataDir.resolve("node-" + (i + 1)));
                if (clientListener.secured()) {
                    secure(props, clientListener, brokerPorts.get(i), internalPorts.get(i), controllerPorts.get(i));
                }
                format(props, clusterId, dataDir.resolve("node-" + (i + 1) + ".properties"));
                KafkaConfig config = new KafkaConfig(props);
                configs.add(config);
                servers.add(new KafkaRaftServer(config, Time.SYSTEM));
            }
            startTogether(servers, timeout);
            String bootstrap = brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
            String internal = internalPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
            awaitReady(internal, nodes, timeout);
            return new EmbeddedKafka(servers, configs, bootstrap, internal, dataDir, temporary);
        } catch (RuntimeException e) {
            new EmbeddedKafka(servers, configs, "", "", dataDir, temporary).close();
            throw e;
        }
    }

    /**
     * A broker's startup blocks until the controller quorum acknowledges it, and the quorum
     * needs a majority of voters up: start every node at once.
     */
    private static void startTogether(List<KafkaRaftServer> servers, Duration timeout) {
        List<java.util.concurrent.CompletableFuture<Void>> startups = servers.stream()
                .map(server -> java.util.concurrent.CompletableFuture.runAsync(server::startup, command -> {
                    Thread thread = new Thread(command, "embedded-kafka-startup");
                    thread.setDaemon(true);
                    thread.start();
                }))
                .toList();
        try {
            java.util.concurrent.CompletableFuture.allOf(startups.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("embedded Kafka failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("embedded Kafka nodes did not start within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting embedded Kafka", e);
        }
    }

    /**
     * Stops one node without a controlled shutdown (no leadership handed over first), as a crash
     * would leave it; its log directory stays. For fault-injection tests: {@link #startNode} brings it back.
     *
     * @param nodeId 1 to the number of nodes
     */
    public synchronized void stopNode(int nodeId) {
        KafkaRaftServer server = servers.get(nodeId - 1);
        server.shutdown();
        server.awaitShutdown();
    }

    /** Starts a node stopped by {@link #stopNode} again on its log directory, and waits until the cluster lists it. */
    public synchronized void startNode(int nodeId, Duration timeout) {
        KafkaRaftServer server = new KafkaRaftServer(configs.get(nodeId - 1), Time.SYSTEM);
        servers.set(nodeId - 1, server);
        server.startup();
        awaitReady(internalBootstrapServers, servers.size(), timeout);
    }

    /** The client listener's addresses. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The PLAINTEXT loopback addresses the nodes use among themselves (the client addresses when
     * the client listener is PLAINTEXT): for a test's own administration of a secured cluster.
     */
    public String internalBootstrapServers() {
        return internalBootstrapServers;
    }

    private static void secure(Properties props, ClientListener client, int clientPort, int internalPort, int controllerPort) {
        String name = ClientListener.NAME;
        props.put("listeners", "INTERNAL://127.0.0.1:" + internalPort + "," + name + "://127.0.0.1:" + clientPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "INTERNAL://127.0.0.1:" + internalPort + "," + name + "://127.0.0.1:" + clientPort);
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("listener.security.protocol.map",
                "INTERNAL:PLAINTEXT," + name + ":" + client.securityProtocol() + ",CONTROLLER:PLAINTEXT");
        props.putAll(client.brokerProperties());
    }

    private static Properties nodeProperties(int nodeId, int nodes, int brokerPort, int controllerPort, String voters, Path logDir) {
        int replication = nodes >= 3 ? 3 : 1;
        int minIsr = nodes >= 3 ? 2 : 1;
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(nodeId)),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.quorum.voters", voters),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", Integer.toString(replication)),
                Map.entry("offsets.topic.replication.factor", Integer.toString(replication)),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", Integer.toString(replication)),
                Map.entry("transaction.state.log.min.isr", Integer.toString(minIsr)),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("share.coordinator.state.topic.replication.factor", Integer.toString(replication)),
                Map.entry("share.coordinator.state.topic.min.isr", Integer.toString(minIsr)),
                Map.entry("min.insync.replicas", Integer.toString(minIsr)),
                // a dev cluster serves one developer: no rebalance delay, small heap footprint
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // nodes stop together (see close()); a controlled shutdown would wait for a quorum that is leaving too
                Map.entry("controlled.shutdown.enable", "false"),
                Map.entry("log.segment.bytes", Integer.toString(64 * 1024 * 1024)),
                // the log cleaner's key map is allocated on the heap of the process hosting the broker
                // (128 MiB by default); 16 MiB maps ~700 k keys per pass, far more than a dev cluster compacts
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4")));
        return props;
    }

    private static void format(Properties props, String clusterId, Path configFile) {
        try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            props.store(writer, "Chokepoint embedded KRaft node");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + configFile + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[]{"format", "--cluster-id", clusterId, "--config", configFile.toString(),
                    "--ignore-formatted"}, out);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed (exit " + exit + "): " + output);
        }
    }

    /** A persistent data dir keeps its cluster id across restarts; a new one gets a fresh id. */
    private static String clusterIdOf(Path dataDir) {
        Path idFile = dataDir.resolve("cluster.id");
        try {
            if (Files.exists(idFile)) {
                return Files.readString(idFile).strip();
            }
            Files.createDirectories(dataDir);
            String id = Uuid.randomUuid().toString();
            Files.writeString(idFile, id);
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("cannot use Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void awaitReady(String bootstrap, int nodes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= nodes) {
                        return;
                    }
                } catch (Exception e) {
                    log.debug("embedded Kafka not ready yet: {}", e.toString());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("embedded Kafka did not become ready within " + timeout.toSeconds() + " s");
                }
                sleep(100);
            }
        }
    }

    @Override
    public synchronized void close() {
        // Stop every node at once: stopped one by one, the last nodes lose their controller
        // quorum and wait out shutdown timeouts.
        List<Thread> stoppers = new ArrayList<>();
        for (KafkaRaftServer server : servers) {
            Thread stopper = new Thread(() -> {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (RuntimeException e) {
                    log.warn("embedded Kafka node did not shut down cleanly: {}", e.toString());
                }
            }, "embedded-kafka-shutdown");
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (temporary) {
            Directories.deleteRecursively(dataDir);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
