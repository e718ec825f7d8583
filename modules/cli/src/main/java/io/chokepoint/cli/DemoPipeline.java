package io.chokepoint.cli;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.dashboard.Dashboard;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.EventPublisher;
import io.chokepoint.producers.simulator.Scenario;
import io.chokepoint.producers.simulator.Simulator;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.chokepoint.streams.StreamsSettings;
import io.chokepoint.streams.command.StreamsCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything {@code chokepoint demo} runs beside the embedded cluster, as the separate
 * commands would run it in production: the simulator publishing the story, the streams
 * application (delay aggregation + rule evaluation) and the alert dispatcher printing alerts.
 */
final class DemoPipeline implements AutoCloseable {

    private final StreamsRuntime streams;
    private final AutoCloseable dashboard;
    private final Optional<String> dashboardUrl;
    private final AlertsService alerts;
    private final Simulator simulator;
    private Thread simulatorThread;
    private final AtomicLong published = new AtomicLong();
    private final AtomicReference<String> simulatorOutcome = new AtomicReference<>("running");

    private DemoPipeline(StreamsRuntime streams, AutoCloseable dashboard, AlertsService alerts, Simulator simulator) {
        this.streams = streams;
        this.dashboard = dashboard;
        this.dashboardUrl = dashboard instanceof Dashboard d ? Optional.of("http://localhost:" + d.port() + "/") : Optional.empty();
        this.alerts = alerts;
        this.simulator = simulator;
    }

    static DemoPipeline start(ChokepointConfig config, Path workDir, Scenario scenario, double speed, boolean live,
                              DemoRouting routing, PrintWriter status) {
        ChokepointConfig demo = config.with(Map.of(
                StreamsProperties.STATE_DIR, workDir.resolve("streams-state").toString(),
                AlertsSettings.ROUTING_FILE, routingFile(workDir, routing).toString(),
                AlertsSettings.HTTP_PORT, "0"));

        StreamsRuntime streams = new StreamsRuntime(demo, StreamsSettings.from(demo), List.of(RuleTopology::addTo));
        streams.start();
        StreamsCommand.Started dashboard;
        try {
            dashboard = Dashboard.host(streams, demo);
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        AlertsService alerts;
        try {
            alerts = AlertsService.start(demo, stdout);
        } catch (RuntimeException e) {
            closeQuietly(dashboard.service());
            streams.close();
            throw e;
        }
        status.printf("  Streams         delay aggregation + alert rules (application %s)%n",
                demo.get(StreamsProperties.APPLICATION_ID, StreamsProperties.DEFAULT_APPLICATION_ID));
        if (!dashboard.message().isEmpty()) {
            status.printf("  Dashboard       %s%n", dashboard.message().replaceFirst("^dashboard ", ""));
        }
        status.printf("  Alerts          %s on stdout%s; metrics http://127.0.0.1:%d/metrics, silences /api/silences%n",
                routing.jsonLines() ? "JSON lines" : "one line per alert (--json for JSON lines)",
                routing.webhooks().isEmpty() ? "" : " and to " + routing.webhooks(), alerts.httpPort());
        status.printf("  Simulator       %s at %.0f story seconds per second%s%n", scenario.name(), speed,
                live ? ", live: events stamped with the wall clock" : "");
        status.flush();

        Simulator simulator = new Simulator(scenario, new Simulator.Options(scenario.seed(), speed, 0, Optional.empty(), live), System.err);
        DemoPipeline pipeline = new DemoPipeline(streams, dashboard.service(), alerts, simulator);
        pipeline.simulatorThread = new Thread(() -> pipeline.simulate(demo, simulator), "demo-simulator");
        pipeline.simulatorThread.setDaemon(true);
        pipeline.simulatorThread.start();
        return pipeline;
    }

    private void simulate(ChokepointConfig config, Simulator sim) {
        try (EventPublisher publisher = EventPublisher.create(config, EventPublisher.Mode.IDEMPOTENT)) {
            Simulator.Result result = sim.run(event -> {
                event.publishTo(publisher);
                published.incrementAndGet();
            });
            publisher.flush();
            simulatorOutcome.set((result.storyFinished() ? "story finished" : "stopped") + " after " + result.events() + " events");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            simulatorOutcome.set("interrupted");
        } catch (RuntimeException e) {
            simulatorOutcome.set("failed: " + e.getMessage());
        }
    }

    /** The dashboard's address, unless the demo runs without one ({@code --http-port -1}). */
    Optional<String> dashboardUrl() {
        return dashboardUrl;
    }

    String summary() {
        return "Simulator " + simulatorOutcome.get() + " (" + published.get() + " published); " + streams.deadLetters().total() + " record(s) dead-lettered"
                + streams.failure().map(f -> "; streams failed: " + StreamsRuntime.rootMessage(f)).orElse("")
                + alerts.failure().map(f -> "; alerts failed: " + f.getMessage()).orElse("");
    }

    private static Path routingFile(Path workDir, DemoRouting routing) {
        Path file = workDir.resolve("demo-routing.yaml");
        try {
            Files.createDirectories(workDir);
            Files.writeString(file, routing.yaml(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo routing file", e);
        }
    }

    @Override
    public void close() {
        simulator.stop();
        try {
            simulatorThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        alerts.close();
        closeQuietly(dashboard);
        streams.close();
    }

    private static void closeQuietly(AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            System.err.println("chokepoint demo: could not stop the dashboard cleanly: " + e.getMessage());
        }
    }
}
