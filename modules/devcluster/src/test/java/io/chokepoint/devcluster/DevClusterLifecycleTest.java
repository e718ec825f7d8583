package io.chokepoint.devcluster;

import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts and stops its own clusters (not the shared one) to prove nothing outlives them. */
class DevClusterLifecycleTest {

    @Test
    void startsAndStopsTwiceInOneJvmLeavingNoChildProcessPortOrFile() throws Exception {
        long childrenBefore = ProcessHandle.current().children().count();
        for (int round = 1; round <= 2; round++) {
            DevCluster cluster = DevCluster.start();
            ProcessHandle registry = cluster.registryProcess();
            Path workDir = cluster.workDir();
            String bootstrap = cluster.bootstrapServers();
            assertThat(registry.isAlive()).isTrue();
            assertThat(clusterNodes(cluster.config())).as("round %d", round).isEqualTo(1);
            System.out.printf("round %d: kafka ready in %d ms, registry ready in %d ms%n", round,
                    cluster.kafkaStartTime().toMillis(), cluster.registryStartTime().toMillis());

            cluster.close();

            registry.onExit().get(15, TimeUnit.SECONDS);
            assertThat(registry.isAlive()).isFalse();
            assertThat(ProcessHandle.current().children().count()).isEqualTo(childrenBefore);
            assertThat(Files.exists(workDir)).isFalse();
            assertThat(isListening(bootstrap)).as("broker port closed").isFalse();
        }
    }

    private static int clusterNodes(ChokepointConfig config) throws Exception {
        Properties props = config.kafkaClientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        }
    }

    private static boolean isListening(String hostPort) {
        String[] parts = hostPort.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
