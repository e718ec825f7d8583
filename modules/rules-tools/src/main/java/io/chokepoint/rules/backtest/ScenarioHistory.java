package io.chokepoint.rules.backtest;

import io.chokepoint.producers.simulator.Scenario;
import io.chokepoint.producers.simulator.ScenarioLoader;
import io.chokepoint.producers.simulator.SimEvent;
import io.chokepoint.producers.simulator.StoryGenerator;

import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/**
 * A simulator scenario as a backtest history: the same deterministic story {@code chokepoint
 * simulate} publishes, generated in event-time order, without a broker and without pacing.
 */
public final class ScenarioHistory implements Iterator<HistoryEvent> {

    private final StoryGenerator story;
    private final Set<String> commodities;
    private final String name;
    private HistoryEvent next;

    /**
     * @param commodities only these HS codes, or every commodity when empty (a smaller replay for
     *                    rules that select a few commodities)
     */
    public ScenarioHistory(String nameOrPath, long seed, Set<String> commodities) {
        Scenario scenario = ScenarioLoader.load(nameOrPath);
        this.story = new StoryGenerator(scenario, seed);
        this.commodities = Set.copyOf(commodities);
        this.name = "scenario " + scenario.name() + " (seed " + seed + ")";
        advance();
    }

    public static long defaultSeed(String nameOrPath) {
        return ScenarioLoader.load(nameOrPath).seed();
    }

    public String name() {
        return name;
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public HistoryEvent next() {
        HistoryEvent e = next;
        advance();
        return e;
    }

    private void advance() {
        next = null;
        while (next == null && story.hasNext()) {
            SimEvent e = story.next();
            if (commodities.isEmpty() || commodities.contains(e.hsCode())) {
                next = new HistoryEvent(e.event(), Instant.ofEpochMilli(e.eventTimeMs()), name);
            }
        }
    }
}
