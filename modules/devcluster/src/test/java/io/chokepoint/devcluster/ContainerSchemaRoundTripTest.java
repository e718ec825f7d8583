package io.chokepoint.devcluster;

import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same scenario on containers (apache/kafka + Apicurio), for users with Docker. Skipped
 * where no Docker engine runs; the embedded flavour covers it there.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerSchemaRoundTripTest extends SchemaRoundTripScenario {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0").withNetwork(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("apicurio/apicurio-registry-mem:2.6.13.Final")
            .withNetwork(NETWORK)
            .withEnv("REGISTRY_RULES_GLOBAL_COMPATIBILITY", "BACKWARD")
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200));

    @BeforeEach
    void containersAreUp() {
        assertThat(KAFKA.isRunning()).as("apache/kafka container").isTrue();
        assertThat(REGISTRY.isRunning()).as("Apicurio container").isTrue();
    }

    @Override
    protected ChokepointConfig clusterConfig() {
        return ChokepointConfig.of(Map.of(
                ChokepointConfig.BOOTSTRAP_SERVERS, KAFKA.getBootstrapServers(),
                ChokepointConfig.SCHEMA_REGISTRY_URL,
                "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/ccompat/v7"));
    }
}
