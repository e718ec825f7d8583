package io.chokepoint.devcluster;

import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.RegistrySettings;
import io.chokepoint.events.serde.SchemaRegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DevClusterExtension.class)
class EmbeddedSchemaRoundTripTest extends SchemaRoundTripScenario {

    private DevCluster cluster;

    @BeforeEach
    void useSharedCluster(DevCluster cluster) {
        this.cluster = cluster;
        // the scenario relies on the embedded registry enforcing the project's compatibility rule
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.from(cluster.config().registryProperties()));
        assertThat(registry.globalCompatibilityLevel()).isEqualTo("BACKWARD");
    }

    @Override
    protected ChokepointConfig clusterConfig() {
        return cluster.config();
    }
}
