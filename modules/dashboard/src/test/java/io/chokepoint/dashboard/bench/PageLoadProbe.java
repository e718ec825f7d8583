package io.chokepoint.dashboard.bench;

import io.chokepoint.dashboard.support.HeadlessChromium;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Page load to first rows of a running dashboard (e.g. {@code chokepoint demo}'s), in headless
 * Chromium, five loads; saves a screenshot. Args: {@code URL [SCREENSHOT.png]}.
 */
public final class PageLoadProbe {

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:9095/";
        Path shot = Path.of(args.length > 1 ? args[1] : "target/dashboard-demo.png");
        Path chromium = HeadlessChromium.find().orElseThrow(() -> new IllegalStateException("no Chromium on the PATH"));
        try (HeadlessChromium browser = new HeadlessChromium(chromium, 1500, 950)) {
            double[] ms = new double[5];
            for (int i = 0; i < ms.length; i++) {
                browser.open(url);
                browser.waitFor("window.chokepoint && window.chokepoint.firstRowsAt !== null", Duration.ofSeconds(60));
                ms[i] = browser.eval("window.chokepoint.firstRowsAt").asDouble();
            }
            Arrays.sort(ms);
            int rows = browser.eval("document.querySelectorAll('#rows tr').length").asInt();
            browser.waitFor("document.querySelector('#chart canvas')", Duration.ofSeconds(30));
            browser.eval("new Promise(ok => setTimeout(ok, 3000))");
            browser.screenshot(shot);
            System.out.printf(Locale.ROOT, "%s: page load → first rows, 5 loads: median %.0f ms, max %.0f ms (%d rows rendered); screenshot %s%n",
                    url, ms[2], ms[4], rows, shot.toAbsolutePath());
        }
    }
}
