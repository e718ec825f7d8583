package io.chokepoint.events.admin;

import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first contact with Kafka fails with the address and the reason, within bootstrap.timeout. */
class KafkaReachabilityTest {

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aClosedPortIsNamedWithTheRefusal() throws Exception {
        String address = "127.0.0.1:" + closedPort();
        ChokepointConfig config = ChokepointConfig.of(Map.of(ChokepointConfig.BOOTSTRAP_SERVERS, address));

        assertThatThrownBy(() -> KafkaReachability.require(config))
                .isInstanceOf(KafkaReachability.KafkaUnreachableException.class)
                .hasMessage("cannot reach Kafka at " + address + " (bootstrap.servers): " + address
                        + " refused the connection; check the address and that the brokers are up");
    }

    @Test
    void everyAddressOfTheListIsReported() throws Exception {
        String first = "127.0.0.1:" + closedPort();
        String second = "127.0.0.1:" + closedPort();
        ChokepointConfig config = ChokepointConfig.of(Map.of(ChokepointConfig.BOOTSTRAP_SERVERS, first + ", " + second));

        assertThatThrownBy(() -> KafkaReachability.require(config))
                .hasMessageContaining(first + " refused the connection; " + second + " refused the connection");
    }

    @Test
    void aListenerThatIsNotKafkaFailsWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + silent.getLocalPort();
            ChokepointConfig config = ChokepointConfig.of(Map.of(ChokepointConfig.BOOTSTRAP_SERVERS, address,
                    KafkaReachability.TIMEOUT, "2s"));

            assertThatThrownBy(() -> KafkaReachability.require(config))
                    .isInstanceOf(KafkaReachability.KafkaUnreachableException.class)
                    .hasMessageStartingWith("Kafka at " + address + " (bootstrap.servers) accepts connections but did not answer within 2s");
        }
    }

    @Test
    void aMalformedAddressIsAConfigurationMistake() {
        ChokepointConfig config = ChokepointConfig.of(Map.of(ChokepointConfig.BOOTSTRAP_SERVERS, "kafka"));

        assertThatThrownBy(() -> KafkaReachability.require(config))
                .isInstanceOf(ChokepointConfig.ConfigProblem.class)
                .hasMessage("configuration 'bootstrap.servers' must be host:port[,host:port...], got 'kafka'");
    }
}
