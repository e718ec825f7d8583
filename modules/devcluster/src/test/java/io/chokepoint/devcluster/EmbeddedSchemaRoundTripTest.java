package io.chokepoint.devcluster;

import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevClusterExtension.class)
class EmbeddedSchemaRoundTripTest extends SchemaRoundTripScenario {

    private DevCluster cluster;

    @BeforeEach
    void useSharedCluster(DevCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected ChokepointConfig clusterConfig() {
        return cluster.config();
    }
}
