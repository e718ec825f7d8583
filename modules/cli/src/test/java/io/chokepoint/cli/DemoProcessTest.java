package io.chokepoint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code chokepoint demo} as a user runs it, in a child JVM: the dashboard's address comes first and
 * answers, stdout carries only alerts (one line each),
 * and a signal stops everything in order, removes the temporary directory and leaves no registry
 * JVM behind.
 */
class DemoProcessTest {

    /** Generous for a loaded 2-core machine; a stuck shutdown would wait out the hook's 45 s grace, then halt. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(40);
    private static final Pattern DATA_DIR = Pattern.compile("(?m)^  Data +(\\S+) +\\(temporary, removed on exit\\)$");

    @TempDir
    Path dir;

    private record Demo(Process process, Path stdout, Path stderr) {
        String err() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        List<String> out() throws IOException {
            return Files.readAllLines(stdout, StandardCharsets.UTF_8);
        }
    }

    private Demo start(String... demoArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx768m", "-cp", classpath, Main.class.getName(), "demo"));
        command.addAll(List.of(demoArgs));
        Path out = dir.resolve("demo.out");
        Path err = dir.resolve("demo.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Demo(process, out, err);
    }

    private static void await(Demo demo, String what, Duration limit, Predicate<Demo> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.test(demo)) {
            if (!demo.process().isAlive()) {
                fail("the demo exited (" + demo.process().exitValue() + ") before " + what + "; stderr:\n" + demo.err());
            }
            if (System.nanoTime() > deadline) {
                demo.process().descendants().forEach(ProcessHandle::destroyForcibly);
                demo.process().destroyForcibly();
                fail("no " + what + " within " + limit.toSeconds() + " s; stderr:\n" + demo.err());
            }
            Thread.sleep(200);
        }
    }

    private static boolean running(Demo demo) {
        try {
            return demo.err().contains("Running; press Ctrl-C to stop");
        } catch (IOException e) {
            return false;
        }
    }

    private static Path dataDir(Demo demo) throws IOException {
        Matcher m = DATA_DIR.matcher(demo.err());
        assertThat(m.find()).as("the demo names its temporary directory:\n" + demo.err()).isTrue();
        return Path.of(m.group(1));
    }

    /** Signals, then checks the exit code, the temporary directory and the child JVMs. */
    private static String stopAndCheck(Demo demo, String signal, int expectedExit) throws Exception {
        Path data = dataDir(demo);
        assertThat(data).isDirectory();
        List<ProcessHandle> children = demo.process().descendants().toList();
        assertThat(children).as("the schema registry runs as a child JVM").isNotEmpty();

        new ProcessBuilder("kill", "-" + signal, Long.toString(demo.process().pid())).inheritIO().start().waitFor();

        if (!demo.process().waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            demo.process().destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            fail("the demo did not exit within " + EXIT_WITHIN.toSeconds() + " s of SIG" + signal + "; stderr:\n" + demo.err());
        }
        String err = demo.err();
        assertThat(demo.process().exitValue()).as(err).isEqualTo(expectedExit);
        assertThat(children).as("child processes left running").noneMatch(ProcessHandle::isAlive);
        assertThat(data).as("temporary directory").doesNotExist();
        assertThat(err).contains("Stopping the embedded cluster ...", "Stopped; the temporary data directory is removed.")
                .doesNotContain("\tat ");
        return err;
    }

    @Test
    void theDashboardUrlComesFirstCtrlCStopsThePipelineInOrderAndStdoutIsOnlyAlerts() throws Exception {
        // a JVM started with SIGINT ignored (a background job of a non-interactive shell) keeps ignoring it, as must its children
        assumeThat(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("SigIgn:")).map(l -> Long.parseLong(l.substring(7).strip(), 16) & 0b10).findFirst().orElse(0L))
                .as("SIGINT is deliverable to this test's processes").isZero();
        // five story days per second: the licence stall of April comes a few seconds after the pipeline starts
        int port = ChokepointProcesses.freePort();
        Demo demo = start("--speed", "432000", "--http-port", Integer.toString(port));
        await(demo, "'Running'", Duration.ofSeconds(180), DemoProcessTest::running);
        String url = "http://localhost:" + port + "/";
        assertThat(demo.err()).startsWith("Chokepoint demo: the dashboard will answer at " + url).contains("Ready: dashboard " + url);
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
        // the story's arc: the rare-earth licence stall fires the early warning (a change rule; at five
        // story days per second the live view comes every 30 story hours, so which of the four stalled
        // commodities it fires for varies), the delay and licence alerts, and the approvals of June
        // resolve the licence alert (a minute on an idle machine; a loaded one lets streams lag)
        await(demo, "the rare-earth arc on stdout", Duration.ofSeconds(420), d -> {
            try {
                List<String> out = d.out();
                return STALLED.stream().anyMatch(hs -> has(out, "FIRING", "rare-earth-magnet-delay-shift", hs))
                        && has(out, "FIRING", "rare-earth-magnet-delay-p95", "280530")
                        && has(out, "FIRING", "licence-approval-collapse", "280530")
                        && has(out, "RESOLVED", "licence-approval-collapse", "280530");
            } catch (IOException e) {
                return false;
            }
        });
        HttpResponse<String> commodity = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "api/commodities/280530")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(commodity.statusCode()).as(commodity.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(commodity.body()).toString()).contains("280530");

        String err = stopAndCheck(demo, "INT", 130);

        assertThat(err).contains("Stopping the simulator, alert delivery and streams ...")
                .containsPattern("Simulator (stopped|story finished) after \\d+ events")
                .doesNotContain("Simulator running");
        assertThat(err.indexOf("Stopping the simulator")).isLessThan(err.indexOf("Stopping the embedded cluster"));
        assertThat(demo.out()).as("one readable line per alert").isNotEmpty()
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ (FIRING|RESOLVED) +(CRITICAL|WARNING) +[a-z0-9-]+ — .+ \\(\\d{6}\\).*"));
    }

    private static final List<String> STALLED = List.of("280530", "284690", "850511", "850519");

    private static boolean has(List<String> lines, String state, String rule, String hsCode) {
        return lines.stream().anyMatch(l -> l.contains(" " + state + " ") && l.contains(" " + rule + " — ") && l.contains("(" + hsCode + ")"));
    }

    @Test
    void liveAlertsCarryTheWallClockSecondsAfterTheEventsBehindThem() throws Exception {
        // ten story days per second: the April tariff escalation comes a few seconds in and its rule has no 'for'
        Demo demo = start("--live", "--json", "--speed", "864000", "--http-port", "0");
        await(demo, "'Running'", Duration.ofSeconds(180), DemoProcessTest::running);
        await(demo, "alert on stdout", Duration.ofSeconds(300), d -> {
            try {
                return !d.out().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        Instant seen = Instant.now();
        JsonNode first = new ObjectMapper().readTree(demo.out().get(0)).path("alerts").path(0);
        Instant eventAt = Instant.parse(first.path("chokepoint").path("eventAt").asText());
        assertThat(Duration.between(eventAt, seen)).as("alert %s at %s, seen at %s", first.path("labels"), eventAt, seen)
                .isBetween(Duration.ZERO, Duration.ofSeconds(30));
        assertThat(demo.err()).contains("live: events stamped with the wall clock");
        stopAndCheck(demo, "TERM", 143);
    }

    @Test
    void sigtermStopsTheClusterAndRemovesItsDirectory() throws Exception {
        Demo demo = start("--smoke-only");
        await(demo, "'Running'", Duration.ofSeconds(180), DemoProcessTest::running);

        stopAndCheck(demo, "TERM", 143);

        assertThat(demo.out()).as("stdout of a demo that delivered no alert").isEmpty();
    }
}
