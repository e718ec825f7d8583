package io.chokepoint.alerts.command;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.AlertsSettings;
import io.chokepoint.events.config.ChokepointConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code chokepoint alerts}: runs the alert dispatcher until stopped (Ctrl-C / SIGTERM). */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"Deliver disruption alerts to webhooks, Slack, Kafka topics or JSON lines. Routes, groups, "
                + "inhibits and silences them, with retries, signatures and dead letters. Scale out by running more "
                + "instances with the same group id. Serves /metrics, /health/live, /health/ready and /api/silences."},
        subcommands = SilenceCommand.class,
        footer = {"", "Example:", "  chokepoint alerts --routing alerts-routing.yaml --http-port 9096",
                "  chokepoint alerts silence add -m severity=WARNING -m hs_prefix=8505 --duration 2h --comment 'maintenance'"})
public final class AlertsCommand implements Callable<Integer> {

    public ChokepointConfig config;

    @Option(names = "--routing", paramLabel = "FILE", description = "Routing file (YAML); setting alerts.routing.file.")
    Path routing;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port for metrics, health and the silences API (default 9096; 0 = any free port; -1 = none).")
    Integer httpPort;

    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group shared by all instances (default chokepoint-alerts).")
    String groupId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (routing != null) {
            overrides.put(AlertsSettings.ROUTING_FILE, routing.toString());
        }
        if (httpPort != null) {
            overrides.put(AlertsSettings.HTTP_PORT, httpPort.toString());
        }
        if (groupId != null) {
            overrides.put(AlertsSettings.GROUP_ID, groupId);
        }
        ChokepointConfig effective = config.with(overrides);
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        AlertsService service = AlertsService.start(effective, stdout);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "alerts-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getErr().println("chokepoint alerts: running"
                + (service.httpPort() < 0 ? "" : ", HTTP on port " + service.httpPort()) + "; Ctrl-C to stop");
        while (stopped.getCount() > 0) {
            if (service.failure().isPresent()) {
                spec.commandLine().getErr().println("chokepoint: alert dispatcher failed: " + service.failure().get().getMessage());
                Runtime.getRuntime().removeShutdownHook(hook);
                service.close();
                return 1;
            }
            stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return 0;
    }
}
