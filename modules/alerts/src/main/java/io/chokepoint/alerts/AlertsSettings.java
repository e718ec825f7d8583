package io.chokepoint.alerts;

import io.chokepoint.alerts.delivery.PayloadLinks;
import io.chokepoint.events.config.ChokepointConfig;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code alerts.*} settings of a {@code chokepoint alerts} process, read once from the
 * Chokepoint configuration (file, then CHOKEPOINT_ALERTS_* environment, then flags).
 */
public record AlertsSettings(
        Optional<Path> routingFile,
        String groupId,
        String httpHost,
        int httpPort,
        Duration commitInterval,
        int maxInFlight,
        Duration shutdownTimeout,
        String startFrom,
        PayloadLinks links) {

    public static final String ROUTING_FILE = "alerts.routing.file";
    public static final String GROUP_ID = "alerts.group.id";
    public static final String HTTP_HOST = "alerts.http.host";
    public static final String HTTP_PORT = "alerts.http.port";
    public static final String COMMIT_INTERVAL = "alerts.commit.interval";
    public static final String MAX_IN_FLIGHT = "alerts.max.in.flight";
    public static final String SHUTDOWN_TIMEOUT = "alerts.shutdown.timeout";
    public static final String START_FROM = "alerts.start.from";
    public static final String EXTERNAL_URL = "alerts.external.url";
    public static final String DASHBOARD_URL = "alerts.dashboard.url";

    public static AlertsSettings from(ChokepointConfig config) {
        String prefix = config.get(ChokepointConfig.TOPIC_PREFIX, "");
        String startFrom = config.get(START_FROM, "earliest").toLowerCase(Locale.ROOT);
        if (!startFrom.equals("earliest") && !startFrom.equals("latest")) {
            throw new ChokepointConfig.ConfigProblem(START_FROM, "must be earliest or latest, got '" + startFrom + "'");
        }
        int port = config.getInt(HTTP_PORT, 9096);
        if (port < -1 || port > 65535) {
            throw new ChokepointConfig.ConfigProblem(HTTP_PORT, "must be a TCP port, 0 for any free port, or -1 for no HTTP server; got " + port);
        }
        int maxInFlight = config.getInt(MAX_IN_FLIGHT, 10_000);
        if (maxInFlight < 1) {
            throw new ChokepointConfig.ConfigProblem(MAX_IN_FLIGHT, "must be at least 1, got " + maxInFlight);
        }
        return new AlertsSettings(
                config.find(ROUTING_FILE).map(Path::of),
                config.get(GROUP_ID, prefix + "chokepoint-alerts"),
                config.get(HTTP_HOST, "0.0.0.0"),
                port,
                config.getDuration(COMMIT_INTERVAL, Duration.ofSeconds(1)),
                maxInFlight,
                config.getDuration(SHUTDOWN_TIMEOUT, Duration.ofSeconds(10)),
                startFrom,
                new PayloadLinks(url(config, EXTERNAL_URL, "http://" + hostName() + (port > 0 ? ":" + port : "")),
                        url(config, DASHBOARD_URL, "http://" + hostName() + ":9095")));
    }

    private static String url(ChokepointConfig config, String key, String fallback) {
        String url = config.get(key, fallback);
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new ChokepointConfig.ConfigProblem(key, "must be an http(s) URL such as https://alerts.example.com, got '" + url + "'");
        }
        return url;
    }

    /** Alertmanager's default: the host's name, so links work from other machines on its network. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
