package io.chokepoint.cli;

import io.chokepoint.cli.DelayHistory.Arrival;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.ReliabilityReport;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A {@code streams} instance (child JVM) loses its state directory: stopped, its directory deleted,
 * started again. It restores every store from the changelogs and then answers the query API —
 * each commodity's row and its stats windows — byte for byte as before, never with another 200
 * meanwhile (503 while it restores); the time from start to the last identical answer is the
 * restore time.
 */
class StateLossTest {

    private static final int DAYS = 4;
    private static final int COMMODITIES = 8;
    private static final String RULE = "state-loss-mean-delay";

    @TempDir
    Path dir;

    /** Answers that were 200 but not the one expected: a restoring instance must answer 503, never a wrong 200. */
    private final List<String> wrongAnswers = new ArrayList<>();

    @Test
    void aWipedInstanceRestoresAndAnswersQueriesIdentically() throws Exception {
        List<String> commodities = DelayHistory.commodities(COMMODITIES);
        List<Arrival> history = DelayHistory.generate(commodities, DAYS);
        Map<String, List<Arrival>> expectedWindows = DelayHistory.windows(history);
        int port = ChokepointProcesses.freePort();
        Path state = dir.resolve("streams-state");

        try (DevCluster cluster = DevCluster.start();
             ChokepointProcesses processes = new ChokepointProcesses(dir)) {
            ChokepointConfig settings = cluster.config();
            Topics topics = settings.topics();
            Path config = DelayHistory.meanDelayConfig(dir, cluster.bootstrapServers(), cluster.schemaRegistryUrl(), RULE, 20, 10, """
                    # a stopped instance leaves the group, but a SIGTERM'd JVM may not get that far: spare the restart Kafka's 45 s
                    kafka.session.timeout.ms: 6000
                    """);
            InProcessCli.Run created = InProcessCli.run(config, "topics", "create");
            assertThat(created.exit()).as(created.err()).isZero();
            String[] streamsCommand = {"streams", "--state-dir", state.toString(), "--http-port", Integer.toString(port)};
            ChokepointProcesses.Child streams = processes.start("streams", config, streamsCommand);
            DelayHistory.awaitStreamsMembers(settings, 1, Duration.ofSeconds(120));
            try (KafkaProducer<String, ShipmentMilestone> producer = DelayHistory.producer(settings, topics)) {
                history.forEach(a -> DelayHistory.send(producer, topics, a));
                DelayHistory.sendTail(producer, topics, commodities, history);
            }
            List<CommodityDelayStats> finals = DelayHistory.readCommitted(settings, topics.commodityDelayStats(), expectedWindows.size(),
                    s -> true);
            DelayHistory.assertFinals(finals, expectedWindows);

            Instant from = DelayHistory.T0.plus(Duration.ofDays(2));
            Instant to = DelayHistory.T0.plus(Duration.ofDays(DAYS));
            List<String> paths = commodities.stream()
                    .flatMap(hs -> Stream.of("/api/commodities/" + hs, "/api/commodities/" + hs + "/windows?from=" + from + "&to=" + to))
                    .toList();
            HttpClient http = HttpClient.newHttpClient();
            Map<String, String> before = new LinkedHashMap<>();
            for (String path : paths) {
                before.put(path, awaitAnswer(http, port, path, null, Duration.ofSeconds(60)));
            }
            assertThat(before.values()).as("each commodity has windows in the range").allMatch(body -> !body.contains("\"windows\":[]"));

            streams.process().destroy();
            assertThat(streams.process().waitFor(60, TimeUnit.SECONDS)).as("the instance stops on SIGTERM").isTrue();
            long stateBytes = size(state);
            deleteRecursively(state);
            assertThat(state).doesNotExist();

            long started = System.nanoTime();
            streams = processes.start("streams", config, streamsCommand);
            Map<String, String> after = new LinkedHashMap<>();
            for (String path : paths) {
                after.put(path, awaitAnswer(http, port, path, before.get(path), Duration.ofSeconds(120)));
            }
            Duration restored = Duration.ofNanos(System.nanoTime() - started);

            long identical = paths.stream().filter(p -> before.get(p).equals(after.get(p))).count();
            ReliabilityReport.of("state-loss", "A streams instance loses its state directory (StateLossTest)")
                    .table("events in", "fault", "state lost", "answers identical afterwards", "wrong answers meanwhile",
                            "from start to identical answers")
                    .row(String.format("%,d", history.size() + commodities.size()), "state directory deleted",
                            String.format("%,d kB", stateBytes / 1024), identical + " of " + paths.size(), wrongAnswers.size(),
                            String.format("%.1f s", restored.toMillis() / 1000.0))
                    .write();

            assertThat(after).as("every answer after the restore, byte for byte").isEqualTo(before);
            assertThat(wrongAnswers).as("200 answers that differed from the one before the loss").isEmpty();
            assertThat(streams.process().isAlive()).isTrue();
            System.out.printf("[state-loss] %,d events; the instance's state directory (%,d kB) deleted; from its start to identical answers"
                            + " for %d queries (each commodity's row and its windows): %.1f s%n",
                    history.size() + commodities.size(), stateBytes / 1024, paths.size(), restored.toMillis() / 1000.0);
        }
    }

    /**
     * The body of the first 200 answer equal to {@code expected} (any 200 when none is given),
     * polling while the instance starts or restores; a 200 with another body is remembered.
     */
    private String awaitAnswer(HttpClient http, int port, String path, String expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && (expected == null || expected.equals(answer.body()))) {
                    return answer.body();
                }
                if (answer.statusCode() == 200) {
                    wrongAnswers.add(path + " -> " + answer.body());
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        return fail("GET " + path + " did not answer as expected within " + timeout + "; last: " + last);
    }

    private static long size(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteRecursively(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
