package io.chokepoint.devcluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run the embedded default.
 *
 * @param brokers       KRaft nodes, each broker and controller (1 or 3)
 * @param dataDir       where logs live; empty = a temporary directory deleted on close
 * @param kafkaPort     first client port (0 = free ports)
 * @param registryPort  schema-registry HTTP port (0 = a free port)
 * @param registryHome  folder holding the unpacked Apicurio server; empty = the one the build unpacked
 * @param startTimeout  how long each part may take to become ready
 * @param exitGrace     on JVM exit (a signal), how long the registry child is left to an orderly close
 *                      running in another shutdown hook before it is killed; zero = killed at once
 * @param clientListener the listener clients use: PLAINTEXT, or SASL_SSL/SSL for security tests
 */
public record DevClusterOptions(int brokers, Optional<Path> dataDir, int kafkaPort, int registryPort,
                                Optional<Path> registryHome, Duration startTimeout, Duration exitGrace,
                                EmbeddedKafka.ClientListener clientListener) {

    public DevClusterOptions {
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException("the embedded cluster runs 1 or 3 nodes, not " + brokers);
        }
    }

    public static DevClusterOptions defaults() {
        return new DevClusterOptions(1, Optional.empty(), 0, 0, Optional.empty(), Duration.ofSeconds(90), Duration.ZERO,
                EmbeddedKafka.ClientListener.plaintext());
    }

    public DevClusterOptions withBrokers(int n) {
        return new DevClusterOptions(n, dataDir, kafkaPort, registryPort, registryHome, startTimeout, exitGrace, clientListener);
    }

    public DevClusterOptions withDataDir(Path dir) {
        return new DevClusterOptions(brokers, Optional.of(dir), kafkaPort, registryPort, registryHome, startTimeout, exitGrace, clientListener);
    }

    public DevClusterOptions withPorts(int kafka, int registry) {
        return new DevClusterOptions(brokers, dataDir, kafka, registry, registryHome, startTimeout, exitGrace, clientListener);
    }

    public DevClusterOptions withExitGrace(Duration grace) {
        return new DevClusterOptions(brokers, dataDir, kafkaPort, registryPort, registryHome, startTimeout, grace, clientListener);
    }

    public DevClusterOptions withClientListener(EmbeddedKafka.ClientListener listener) {
        return new DevClusterOptions(brokers, dataDir, kafkaPort, registryPort, registryHome, startTimeout, exitGrace, listener);
    }
}
