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
 * A small delivery section on the shared cluster: it prints the dispatcher against its baseline
 * and the progress figures; of deliveries spread over 14 days only the last 7 (the default
 * retention) are read at start. No timing is asserted.
 */
@ExtendWith(DevClusterExtension.class)
class DeliveryBenchTest {

    @Test
    void aSmallRunPrintsBothRatesAndReadsOnlyTheProgressOfOneRetentionPeriod(DevCluster cluster) throws Exception {
        DeliveryBench.Options o = new DeliveryBench.Options();
        o.notifications = 300;
        o.warmUp = 100;
        o.rate = 100;
        o.latencySeconds = 1;
        o.progressRecords = 2_000;
        o.progressDays = 14;
        StringWriter printed = new StringWriter();

        Map<String, Object> json = DeliveryBench.run(cluster, o, new PrintWriter(printed));

        assertThat(printed.toString()).contains("baseline: plain Jetty HttpClient", "dispatcher -> webhook", "p99", "progress after 2,000");
        assertThat((double) json.get("notificationsPerSecond")).isPositive();
        assertThat((double) json.get("baselineNotificationsPerSecond")).isPositive();
        @SuppressWarnings("unchecked")
        Map<String, Object> progress = (Map<String, Object>) json.get("progress");
        assertThat((int) progress.get("liveEntries")).as("the newer half: 7 of 14 days").isBetween(990, 1_010);
    }
}
