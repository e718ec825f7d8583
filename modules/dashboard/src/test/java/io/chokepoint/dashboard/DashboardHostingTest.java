package io.chokepoint.dashboard;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.config.ChokepointConfig.ConfigProblem;
import io.chokepoint.streams.StreamsProperties;
import io.chokepoint.streams.StreamsRuntime;
import io.chokepoint.streams.StreamsSettings;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code chokepoint streams} refuses before it joins the group, naming the setting to fix. */
class DashboardHostingTest {

    private static ChokepointConfig config(Map<String, String> settings) {
        return ChokepointConfig.of(Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", "http://127.0.0.1:1"))
                .with(settings);
    }

    @Test
    void anAdvertisedPortOtherThanTheHttpPortIsRefused() {
        ChokepointConfig config = config(Map.of(StreamsProperties.APPLICATION_SERVER, "host-a:9000", DashboardSettings.HTTP_PORT, "9095"));
        assertThatThrownBy(() -> Dashboard.host(null, config)).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("streams.application.server").hasMessageContaining("9000").hasMessageContaining("9095");
    }

    @Test
    void httpPortMinusOneServesNothing() throws Exception {
        var started = Dashboard.host(null, config(Map.of(DashboardSettings.HTTP_PORT, "-1")));
        assertThat(started.message()).isEmpty();
        started.service().close();
    }

    @Test
    void aPortInUseNamesTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChokepointConfig config = config(Map.of(DashboardSettings.HTTP_HOST, "127.0.0.1",
                    DashboardSettings.HTTP_PORT, Integer.toString(taken.getLocalPort())));
            try (StreamsRuntime runtime = new StreamsRuntime(config, StreamsSettings.from(config))) {
                assertThatThrownBy(() -> Dashboard.host(runtime, config)).isInstanceOf(ConfigProblem.class)
                        .hasMessageContaining("streams.http.port").hasMessageContaining("in use");
            }
        }
    }

    @Test
    void aBadStreamLimitNamesItsKey() {
        assertThatThrownBy(() -> DashboardSettings.from(config(Map.of(DashboardSettings.CLIENT_QUEUE, "0"))))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("dashboard.stream.client-queue");
    }
}
