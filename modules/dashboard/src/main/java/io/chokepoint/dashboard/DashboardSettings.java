package io.chokepoint.dashboard;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.command.StreamsCommand;

import java.time.Duration;

/**
 * How a streams instance serves HTTP: where (the port is {@code --http-port}), and the bounds
 * that keep the live feed from ever slowing the streams: how many SSE clients, how many events
 * each may fall behind before it is dropped, how many recent events a reconnecting client can
 * resume from.
 */
public record DashboardSettings(
        String host,
        int port,
        int maxStreamClients,
        int clientQueue,
        int resumeBuffer,
        Duration heartbeat,
        Duration forwardTimeout,
        int alertHistory,
        int policyHistory) {

    public static final String HTTP_HOST = "streams.http.host";
    public static final String HTTP_PORT = StreamsCommand.HTTP_PORT;
    public static final String MAX_STREAM_CLIENTS = "dashboard.stream.max-clients";
    public static final String CLIENT_QUEUE = "dashboard.stream.client-queue";
    public static final String RESUME_BUFFER = "dashboard.stream.resume-buffer";
    public static final String HEARTBEAT = "dashboard.stream.heartbeat";
    public static final String FORWARD_TIMEOUT = "dashboard.forward.timeout";
    public static final String ALERT_HISTORY = "dashboard.alerts.resolved-kept";
    public static final String POLICY_HISTORY = "dashboard.policy-events.kept";

    public static final int DEFAULT_PORT = 9095;

    /** Reads the settings; a bad value fails with its key. */
    public static DashboardSettings from(ChokepointConfig config) {
        int port = config.getInt(HTTP_PORT, DEFAULT_PORT);
        if (port < -1 || port > 65535) {
            throw new ChokepointConfig.ConfigProblem(HTTP_PORT, "must be a TCP port, 0 for any free port, or -1 for no HTTP server; got " + port);
        }
        return new DashboardSettings(
                config.get(HTTP_HOST, "0.0.0.0"),
                port,
                positive(config, MAX_STREAM_CLIENTS, 100),
                positive(config, CLIENT_QUEUE, 2_000),
                positive(config, RESUME_BUFFER, 10_000),
                config.getDuration(HEARTBEAT, Duration.ofSeconds(15)),
                config.getDuration(FORWARD_TIMEOUT, Duration.ofSeconds(5)),
                positive(config, ALERT_HISTORY, 1_000),
                positive(config, POLICY_HISTORY, 5_000));
    }

    /** False for {@code --http-port -1}: the instance serves no HTTP. */
    public boolean enabled() {
        return port >= 0;
    }

    private static int positive(ChokepointConfig config, String key, int fallback) {
        int value = config.getInt(key, fallback);
        if (value <= 0) {
            throw new ChokepointConfig.ConfigProblem(key, "must be a positive number; got " + value);
        }
        return value;
    }
}
