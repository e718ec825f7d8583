package io.chokepoint.streams.window;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class ObservedPanesTest {

    private static final long H = 3_600_000L;

    @Test
    void knowsEachCommoditysPanesAndRangesInclusiveAtBothEnds() {
        ObservedPanes panes = new ObservedPanes();
        assertThat(panes.has("850511", 0)).isFalse();
        assertThat(panes.anyIn("850511", 0, Long.MAX_VALUE)).isFalse();
        assertThat(panes.newest()).isEqualTo(Long.MIN_VALUE);

        panes.add("850511", 5 * H);
        panes.add("850511", 5 * H); // a second observation of the pane
        panes.add("280530", 9 * H);

        assertThat(panes.has("850511", 5 * H)).isTrue();
        assertThat(panes.has("850511", 9 * H)).as("another commodity's pane").isFalse();
        assertThat(panes.anyIn("850511", 5 * H, 5 * H)).isTrue();
        assertThat(panes.anyIn("850511", 0, 5 * H - 1)).isFalse();
        assertThat(panes.anyIn("850511", 5 * H + 1, 30 * H)).isFalse();
        assertThat(panes.newest()).isEqualTo(9 * H);
    }

    @Test
    void forgetsOnlyPanesBeforeTheCutoff() {
        ObservedPanes panes = new ObservedPanes();
        panes.add("850511", 1 * H);
        panes.add("850511", 2 * H);
        panes.add("280530", 1 * H);

        panes.forgetOlderThan(2 * H);

        assertThat(panes.has("850511", 1 * H)).isFalse();
        assertThat(panes.has("850511", 2 * H)).isTrue();
        assertThat(panes.anyIn("280530", 0, 10 * H)).isFalse();
        assertThat(panes.newest()).as("the newest pane stays the clock of the pruning").isEqualTo(2 * H);

        panes.clear();
        assertThat(panes.has("850511", 2 * H)).isFalse();
        assertThat(panes.newest()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void answersAsASortedSetOnRandomPanes() {
        Random random = new Random(7);
        ObservedPanes panes = new ObservedPanes();
        TreeSet<Long> expected = new TreeSet<>();
        for (int step = 0; step < 20_000; step++) {
            long pane = random.nextInt(200) * H;
            switch (random.nextInt(10)) {
                case 0 -> {
                    panes.forgetOlderThan(pane);
                    expected.headSet(pane).clear();
                }
                case 1, 2, 3 -> {
                    panes.add("850511", pane);
                    expected.add(pane);
                }
                default -> {
                    long to = pane + random.nextInt(30) * H;
                    assertThat(panes.has("850511", pane)).isEqualTo(expected.contains(pane));
                    Long first = expected.ceiling(pane);
                    assertThat(panes.anyIn("850511", pane, to)).isEqualTo(first != null && first <= to);
                }
            }
        }
    }
}
