package io.chokepoint.dashboard;

import io.chokepoint.dashboard.support.DashboardInstances;
import io.chokepoint.dashboard.support.DashboardInstances.Instance;
import io.chokepoint.dashboard.support.HeadlessChromium;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page in a real headless Chromium against a streams instance on the embedded cluster: the
 * table fills from the API, a row changes in place when its live stats change (over SSE, no
 * reload), a firing alert appears in the panel and on its row. Leaves target/dashboard.png.
 */
@ExtendWith(DevClusterExtension.class)
class DashboardPageBrowserTest {

    private static final Duration LIVE = Duration.ofSeconds(30);

    @Test
    void theTableUpdatesLiveAndAFiringAlertAppears(DevCluster cluster) throws Exception {
        Optional<Path> binary = HeadlessChromium.find();
        Assumptions.assumeTrue(binary.isPresent(), "no Chromium on the PATH (Debian: apt-get install -y chromium; "
                + ".ci/run installs it where it can): the real-browser test of the dashboard is skipped");
        try (DashboardInstances instances = new DashboardInstances(cluster, Map.of())) {
            Instance instance = instances.start();
            instances.awaitRunning();
            instances.tariff("850511", 25, 110, DashboardInstances.T0.plus(Duration.ofMinutes(2)));
            instances.flush();
            String[] codes = {"850511", "280530", "854231", "841112", "284690", "811292", "850760", "381800"};
            for (int i = 0; i < codes.length; i++) {
                instances.milestone(codes[i], 6 + 3 * i, 10);
                instances.milestone(codes[i], 12 + 3 * i, 20);
            }
            instances.flush();
            await().atMost(LIVE).until(() -> instances.get(instance, "/api/commodities/850511").body().contains("\"count\":2"));

            try (HeadlessChromium browser = new HeadlessChromium(binary.get(), 1500, 950)) {
                browser.open(instance.url("/"));
                browser.waitFor("document.querySelectorAll('#rows tr').length > 8", LIVE);
                browser.waitFor("document.getElementById('status').textContent === 'live'", LIVE);
                browser.eval("window.loadedOnce = 'yes'"); // gone if the page reloads
                assertThat(browser.eval(p95Of("850511")).asText()).isEqualTo(apiP95(instances, instance)); // 6 h and 12 h late

                instances.milestone("850511", 90, 30);
                instances.milestone("850511", 96, 40);
                instances.flush();
                await().atMost(LIVE).until(() -> instances.get(instance, "/api/commodities/850511").body().contains("\"count\":4"));
                String after = apiP95(instances, instance);
                assertThat(Double.parseDouble(after)).isGreaterThan(85); // 90 and 96 h late, within the sketch's 1 % error
                browser.waitFor(p95Of("850511") + " === '" + after + "'", LIVE);
                assertThat(browser.eval("window.loadedOnce").asText()).as("updated in place, not reloaded").isEqualTo("yes");
                assertThat(browser.eval("document.querySelector('#rows tr[data-hs=\"850511\"] td.p95').classList.contains('hot')")
                        .asBoolean()).isTrue();

                instances.alert("850511", AlertState.FIRING, Severity.CRITICAL, Double.parseDouble(after),
                        "p95 delay " + after + " h > 48 h for 10m; tariff US on CN rose 25 % → 110 % on 2025-04-01; top route CN-US");
                instances.flush();
                browser.waitFor("document.querySelector('#alerts li[data-hs=\"850511\"]')", LIVE);
                assertThat(browser.eval("document.querySelector('#alerts li .why').textContent").asText()).contains("110 %");
                browser.waitFor("document.querySelector('#rows tr:first-child').dataset.hs === '850511'"
                        + " && document.querySelector('#rows tr:first-child .sev.CRITICAL')", LIVE);
                browser.eval("document.querySelector('#rows tr[data-hs=\"850511\"]').click()");
                browser.waitFor("document.querySelector('#chart canvas')", LIVE);
                assertThat(browser.eval("document.getElementById('policy').textContent").asText()).contains("25 % → 110 %");
                browser.eval("new Promise(ok => setTimeout(ok, 1500))"); // let the row flash fade for a readable picture
                browser.screenshot(Path.of("target", "dashboard.png"));
            }
        }
    }

    private static String apiP95(DashboardInstances instances, Instance instance) throws Exception {
        double p95 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(instances.get(instance, "/api/commodities/850511").body())
                .path("live").path("p95DelayHours").asDouble();
        return String.format(java.util.Locale.ROOT, "%.1f", p95);
    }

    private static String p95Of(String hs) {
        return "(document.querySelector('#rows tr[data-hs=\"" + hs + "\"] td.p95') || {}).textContent";
    }
}
