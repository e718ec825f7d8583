package io.chokepoint.streams.window;

import io.chokepoint.events.avro.Milestone;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WindowStats#latestRoutes}: the most late routes, most first, ties by name, early routes never. */
class LatestRoutesTest {

    private static final long H = 3_600_000L;
    private static final Windowing WINDOWING = new Windowing(24 * H, H, 2 * H);

    @Test
    void mostLateFirstTiesByNameNeverAnEarlyOrPunctualRoute() {
        WindowStats window = new WindowStats(WINDOWING, 0);
        observe(window, "CN-US", 5 * H);
        observe(window, "VN-US", 2 * H);
        observe(window, "MX-US", 5 * H);   // ties with CN-US: by name
        observe(window, "DE-US", -3 * H);  // early: lateness counts as 0
        observe(window, "JP-US", 0);

        assertThat(window.latestRoutes(3)).containsExactly("CN-US", "MX-US", "VN-US");
        assertThat(window.latestRoutes(2)).containsExactly("CN-US", "MX-US");
        assertThat(window.latestRoutes(10)).containsExactly("CN-US", "MX-US", "VN-US");
        assertThat(window.latestRoutes(0)).isEmpty();
        assertThat(new WindowStats(WINDOWING, 0).latestRoutes(3)).isEmpty();
    }

    @Test
    void equalsASortOfEveryRouteOnRandomWindows() {
        Random random = new Random(42);
        for (int trial = 0; trial < 2_000; trial++) {
            WindowStats window = new WindowStats(WINDOWING, 0);
            Map<String, Long> lateness = new HashMap<>();
            int observations = random.nextInt(30);
            for (int i = 0; i < observations; i++) {
                String route = "R" + random.nextInt(12);
                long delay = (random.nextInt(7) - 2) * H; // many ties and some early observations
                observe(window, route, delay);
                lateness.merge(route, Math.max(0, delay), Long::sum);
            }
            int limit = random.nextInt(6);
            List<String> sorted = lateness.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit).map(Map.Entry::getKey).toList();
            assertThat(window.latestRoutes(limit)).as("trial %d", trial).isEqualTo(sorted);
        }
    }

    private static void observe(WindowStats window, String route, long delayMs) {
        window.add(0, new DelayObservation("850511", "s", Milestone.DEPARTED, route, delayMs, H / 2), DelayPane.Coverage.NONE);
    }
}
