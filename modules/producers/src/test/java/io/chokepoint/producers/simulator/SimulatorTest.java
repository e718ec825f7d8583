package io.chokepoint.producers.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Pacing changes when events are sent, never what they are. */
class SimulatorTest {

    private final Scenario scenario = ScenarioLoader.load("trade-war-2025");

    @Test
    void rateLimitsTheSendingPaceButNotTheEvents() throws InterruptedException {
        List<SimEvent> paced = new ArrayList<>();
        Simulator.Result result = new Simulator(scenario, new Simulator.Options(3, 0, 2000, Optional.of(Duration.ofMillis(300))), null)
                .run(paced::add);
        assertThat(result.storyFinished()).isFalse();
        assertThat(result.events()).isBetween(400L, 640L); // 2000/s for 0.3 s, allowing for a slow start
        StoryGenerator unpaced = new StoryGenerator(scenario, 3);
        for (SimEvent e : paced) {
            assertThat(unpaced.next()).isEqualTo(e);
        }
    }

    @Test
    void speedMapsStoryTimeToWallClock() throws InterruptedException {
        new StoryGenerator(scenario, 1).next(); // load the classes first, so start-up does not eat the time window
        // a story day per 100 ms: in 500 ms the story reaches about its fifth day, never further than
        // pacing allows; on a loaded machine it may lag behind, so only the upper bound is exact
        Simulator.Result result = new Simulator(scenario, new Simulator.Options(1, 864_000, 0, Optional.of(Duration.ofMillis(500))), null)
                .run(e -> { });
        assertThat(result.lastStoryTime()).isAfter(scenario.start()).isBefore(scenario.start().plus(Duration.ofDays(6)));
    }

    @Test
    void unlimitedSpeedPlaysTheWholeStory() throws InterruptedException {
        Simulator.Result result = new Simulator(scenario, new Simulator.Options(1, 0, 0, Optional.empty()), null).run(e -> { });
        assertThat(result.storyFinished()).isTrue();
        assertThat(result.lastStoryTime()).isAfter(scenario.end().minus(Duration.ofDays(1)));
    }
}
