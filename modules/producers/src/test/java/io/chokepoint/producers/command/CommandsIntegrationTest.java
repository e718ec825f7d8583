package io.chokepoint.producers.command;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.KafkaReadBack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The two commands as the CLI runs them: picocli parsing, exit codes, one-line errors, real broker. */
@ExtendWith(DevClusterExtension.class)
class CommandsIntegrationTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int produce(ChokepointConfig config, String... args) {
        ProduceCommand command = new ProduceCommand();
        command.config = config;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    private int simulate(ChokepointConfig config, String... args) {
        SimulateCommand command = new SimulateCommand();
        command.config = config;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void produceTariffsPublishesAndExitsZero(DevCluster cluster) throws Exception {
        ChokepointConfig config = KafkaReadBack.isolated(cluster.config());
        Path file = dir.resolve("tariffs.jsonl");
        Files.writeString(file, """
                {"change_id":"US-GENEVA","announced_at":"2025-05-12T08:00:00Z","effective_at":"2025-05-14T04:01:00Z","imposing_country":"US","target_country":"CN","hs_code":"8505.11","previous_rate_pct":130,"new_rate_pct":30,"measure":"PAUSE"}
                """);
        assertThat(produce(config, "tariffs", "--file", file.toString())).isZero();
        assertThat(stdout()).contains("read 1, published 1, rejected 0");
        List<ConsumerRecord<String, TariffChange>> records = KafkaReadBack.readAll(config, config.topics().tariffChanges(), 1);
        assertThat(records).singleElement().satisfies(r -> assertThat(r.value().getNewRatePct()).isEqualTo(30.0));
    }

    @Test
    void rejectsAndBadFilesExitTwoWithOneLine(DevCluster cluster) throws Exception {
        ChokepointConfig config = cluster.config();
        Path file = dir.resolve("licences.csv");
        Files.writeString(file, "licence_id,decided_at,authority,exporter,importer,hs_code,decision\nL1,2025-04-20T10:00:00Z,MOFCOM,CN,US,2805,APPROVED\n");
        assertThat(produce(config, "licences", "--file", file.toString(), "--dry-run")).isEqualTo(2);
        assertThat(stderr()).contains("licences.csv:2:6: hs_code: '2805' is not an HS-6 code");
        assertThat(stdout()).contains("rejected 1");

        err.reset();
        assertThat(produce(config, "licences", "--file", dir.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(stderr().strip()).startsWith("error: ").endsWith("missing.csv does not exist").doesNotContain("\n").doesNotContain("Exception");

        err.reset();
        assertThat(produce(config, "permits", "--file", file.toString())).isEqualTo(2);
        assertThat(stderr()).contains("'permits' is not a kind of input");
    }

    @Test
    void simulateDryRunPrintsTheSameDigestForTheSameSeed(DevCluster cluster) {
        ChokepointConfig config = cluster.config();
        assertThat(simulate(config, "--scenario", "trade-war-2025", "--speed", "0", "--seed", "42", "--dry-run")).isZero();
        assertThat(simulate(config, "--scenario", "trade-war-2025", "--speed", "0", "--seed", "42", "--dry-run")).isZero();
        List<String> lines = stdout().lines().toList();
        assertThat(lines).hasSize(2);
        String digest = lines.get(0).substring(lines.get(0).indexOf("sha256"));
        assertThat(lines.get(1)).endsWith(digest);
    }

    @Test
    void simulatePublishesIntoTheInputTopics(DevCluster cluster) throws Exception {
        ChokepointConfig config = KafkaReadBack.isolated(cluster.config());
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, """
                name: tiny
                start: 2025-04-01
                end: 2025-04-04
                baseline: {bookingLeadDays: [0, 1], departureJitterHours: 1, arrivalJitterHours: 1, holdProbability: 0,
                           holdHours: [1, 2], clearanceHours: [1, 2], deliveryHours: [1, 2], cancelProbability: 0}
                lanes:
                  - {commodities: ["850511"], routes: [CN-US], shipmentsPerDay: 3, transitDays: 0.2, quantityKg: [1, 2]}
                tariffs:
                  - {id: T1, announced: 2025-04-02, imposing: US, target: CN, newRatePct: 50, measure: INCREASE}
                """);
        assertThat(simulate(config, "--scenario", scenario.toString(), "--speed", "0", "--seed", "5")).isZero();
        assertThat(stdout()).contains("tiny (seed 5): published");
        List<ConsumerRecord<String, TariffChange>> tariffs = KafkaReadBack.readAll(config, config.topics().tariffChanges(), 1);
        assertThat(tariffs).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("850511");
            assertThat(r.timestamp()).isEqualTo(java.time.Instant.parse("2025-04-02T00:00:00Z").toEpochMilli());
        });
    }

    @Test
    void simulateNamesABadScenario(DevCluster cluster) {
        assertThat(simulate(cluster.config().with(Map.of()), "--scenario", "nope")).isEqualTo(2);
        assertThat(stderr()).contains("error: unknown scenario 'nope'");
    }
}
