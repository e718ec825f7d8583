package io.chokepoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.streams.StreamsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small bench run on the shared embedded cluster: it prints the table, writes the JSON, and the
 * topology wrote exactly the finals the window arithmetic requires, under exactly-once on a real
 * broker. No timing is asserted.
 */
@ExtendWith(DevClusterExtension.class)
class BenchCommandTest {

    @Test
    void aSmallRunPrintsTheTableAndWritesOneFinalPerCommodityWindowWithData(DevCluster cluster, @TempDir Path dir) throws Exception {
        BenchCommand command = new BenchCommand();
        CommandLine cli = new CommandLine(command);
        StringWriter printed = new StringWriter();
        cli.setOut(new PrintWriter(printed));
        Path out = dir.resolve("bench.json");
        cli.parseArgs("--events", "2000", "--warm-up-events", "300", "--commodities", "5", "--partitions", "2", "--sweep-commodities", "3",
                "--sweep-open-shipments", "20", "--sweep-open-commodities", "2", "--delivery-notifications", "0",
                "--latency-rates", "100", "--latency-firings", "3", "--out", out.toString());

        command.run(cluster, StreamsSettings.defaults(), new LinkedHashMap<>(), cli.getOut());

        assertThat(printed.toString()).contains("A plain consumer", "B transactional passthrough", "C textbook", "topology (DelayAggregation.build)",
                "sweep commodities", "alert latency at 100 background events/s", "raw Kafka", "milestone -> FIRING",
                        "warm-up round, not counted", "cores busy", "B' Kafka Streams passthrough (same EOS)")
                .doesNotContain("not seen within");
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        JsonNode topology = json.path("main").path("topology");
        assertThat(topology.path("finals").asLong()).isEqualTo(topology.path("windowsWithData").asLong()).isPositive();
        assertThat(topology.path("liveViews").asLong()).isLessThanOrEqualTo(topology.path("liveViewBound").asLong());
        assertThat(topology.path("changelogWritesPerInput").asDouble()).isPositive();
        assertThat(topology.path("cpu").path("cpuMicrosPerInput").asDouble()).isPositive();
        assertThat(json.path("main").path("B_transactionalPassthrough").path("cpu").path("coresBusy").asDouble()).isPositive();
        assertThat(json.path("warmUp").path("events").asInt()).isEqualTo(300);
        // the Kafka Streams passthrough copies every input record once and keeps no state
        assertThat(json.path("main").path("B_kafkaStreamsPassthrough").path("outputPerInput").asDouble()).isEqualTo(1.0);
        assertThat(json.path("main").path("B_kafkaStreamsPassthrough").path("changelogWrites").asLong()).isZero();
        assertThat(json.path("commoditySweep")).hasSize(1);
        assertThat(json.path("openShipmentSweep").get(0).path("openShipmentsPerCommodity").asInt()).isEqualTo(20);
        assertThat(json.path("alertLatency")).hasSize(1);
        assertThat(json.path("alertLatency").get(0).path("firings").asInt()).isEqualTo(3);
    }

    @Test
    void anEmptySweepIsSkippedAndABadCountIsRefusedBeforeAnyClusterStarts() {
        BenchCommand command = new BenchCommand();
        CommandLine cli = new CommandLine(command);
        cli.parseArgs("--sweep-commodities=", "--sweep-open-shipments", "1000, 10000");
        assertThat(command.counts("--sweep-commodities", command.sweepCommodities)).isEmpty();
        assertThat(command.counts("--sweep-open-shipments", command.sweepOpenShipments)).containsExactly(1000, 10000);

        StringWriter err = new StringWriter();
        cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        int exit = cli.execute("--sweep-commodities", "100,lots");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--sweep-commodities: 'lots' is not a positive whole number").doesNotContain("Exception");

        StringWriter negative = new StringWriter();
        assertThat(new CommandLine(new BenchCommand()).setErr(new PrintWriter(negative)).execute("--warm-up-events", "-1")).isEqualTo(2);
        assertThat(negative.toString()).contains("--warm-up-events must not be negative").doesNotContain("Exception");

        StringWriter warmUp = new StringWriter();
        assertThat(new CommandLine(new BenchCommand()).setErr(new PrintWriter(warmUp)).execute("--delivery-warm-up", "-5")).isEqualTo(2);
        assertThat(warmUp.toString()).contains("--delivery-notifications, --delivery-warm-up and --delivery-progress-records must not be negative")
                .doesNotContain("Exception");
    }
}
