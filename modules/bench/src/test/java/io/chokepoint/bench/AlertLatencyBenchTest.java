package io.chokepoint.bench;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small alert-latency section on the shared cluster: streams with the rules on a real broker,
 * every driven commodity fires once and each firing is measured. No timing is asserted.
 */
@ExtendWith(DevClusterExtension.class)
class AlertLatencyBenchTest {

    @Test
    void everyDrivenCommodityFiresAndBothPathsArePrinted(DevCluster cluster) throws Exception {
        StringWriter printed = new StringWriter();

        Map<String, Object> json = AlertLatencyBench.run(cluster, 200, 6, new PrintWriter(printed));

        assertThat(printed.toString()).contains("alert latency at 200 background events/s", "raw Kafka", "milestone -> FIRING")
                .doesNotContain("not seen within");
        assertThat(json.get("firings")).isEqualTo(6);
        @SuppressWarnings("unchecked")
        Map<String, Object> alertMs = (Map<String, Object>) json.get("alertMs");
        assertThat((long) alertMs.get("p99")).isPositive();
    }
}
