package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.Milestone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.chokepoint.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sliding aggregation (add the newest pane, deduct the oldest) against a brute-force
 * computation of every window from the observations it counted: hopping windows, a shipment
 * observed in several panes of one window and out of order, repeats and late arrivals. Counts,
 * sums, min, max, customs holds and distinct shipments must be exact; quantiles within 1 %.
 */
@ExtendWith(DevClusterExtension.class)
class SlidingStatsExactnessTest {

    private static final String HS = "850511";
    private static final Milestone[] OBSERVED = {Milestone.DEPARTED, Milestone.CUSTOMS_HOLD, Milestone.CLEARED, Milestone.ARRIVED};

    private record Observation(String shipment, Milestone milestone, long at, long delayMs, long watermark) {
    }

    @Test
    void everyFinalEqualsTheBruteForceStatsOfItsWindow(DevCluster cluster) {
        Duration size = Duration.ofHours(6);
        Duration advance = Duration.ofHours(1);
        Duration grace = Duration.ofHours(1);
        StreamsSettings settings = StreamsSettings.defaults().withWindows(size, advance, grace).withEmitInterval(Duration.ZERO);
        Random random = new Random(42);
        List<Observation> counted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long watermark = Long.MIN_VALUE;
        try (TopologyFixture f = new TopologyFixture(cluster, settings)) {
            for (int i = 0; i < 1000; i++) {
                // time moves forward about 2 min per event, but a fifth of the events arrive up to 9 h late (some beyond every window's grace)
                long at = T0.toEpochMilli() + i * 120_000L - (random.nextInt(5) == 0 ? random.nextInt(9 * 3_600_000) : 0);
                // 60 shipments per 10 h: repeats stay well within the de-duplication retention (window + grace, at least 26 h)
                String shipment = "s" + (i / 300) + "-" + random.nextInt(60);
                Milestone milestone = OBSERVED[random.nextInt(OBSERVED.length)];
                long delayMs = (random.nextInt(4000) - 1000) * 36_000L; // -10 h .. +30 h in 0.01 h steps
                f.milestone(HS, shipment, milestone, Instant.ofEpochMilli(at), delayMs / 3_600_000.0);
                watermark = Math.max(watermark, at);
                if (anyOpenWindow(at, watermark, size, advance, grace) && seen.add(shipment + "|" + milestone)) {
                    counted.add(new Observation(shipment, milestone, at, delayMs, watermark));
                }
            }
            f.advanceStreamTimeTo(Instant.ofEpochMilli(watermark).plus(size).plus(grace).plus(advance));

            List<CommodityDelayStats> finals = TopologyFixture.finals(f.readStats(), HS);
            Map<Long, List<Observation>> expected = windows(counted, size, advance, grace);
            Map<Long, Long> actualCounts = new TreeMap<>();
            finals.forEach(s -> actualCounts.put(s.getWindowStart().toEpochMilli(), s.getCount()));
            Map<Long, Long> expectedCounts = new TreeMap<>();
            expected.forEach((start, in) -> expectedCounts.put(start, (long) in.size()));
            assertThat(actualCounts).isEqualTo(expectedCounts);
            for (CommodityDelayStats s : finals) {
                List<Observation> in = expected.get(s.getWindowStart().toEpochMilli());
                String window = "window " + s.getWindowStart();
                assertThat(s.getCount()).as(window).isEqualTo(in.size());
                assertThat(s.getDistinctShipments()).as(window + " distinct").isEqualTo(in.stream().map(Observation::shipment).distinct().count());
                assertThat(s.getCustomsHolds()).as(window).isEqualTo(in.stream().filter(o -> o.milestone() == Milestone.CUSTOMS_HOLD).count());
                long sum = in.stream().mapToLong(Observation::delayMs).sum();
                assertThat(s.getMeanDelayHours()).as(window).isCloseTo(sum / (double) in.size() / 3_600_000.0, within(1e-9));
                assertThat(s.getMinDelayHours()).as(window).isEqualTo(in.stream().mapToLong(Observation::delayMs).min().orElseThrow() / 3_600_000.0);
                assertThat(s.getMaxDelayHours()).as(window).isEqualTo(in.stream().mapToLong(Observation::delayMs).max().orElseThrow() / 3_600_000.0);
                double[] sorted = in.stream().mapToDouble(o -> o.delayMs() / 3_600_000.0).sorted().toArray();
                double exact = sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
                assertThat(s.getP95DelayHours()).as(window + " p95").isCloseTo(exact, within(Math.abs(exact) * 0.01 + 0.001));
            }
            assertThat(f.metric(DelayAggregation.METRIC_DUPLICATES + "-total")).isPositive();
            assertThat(f.metric(DelayAggregation.METRIC_LATE_DROPPED + "-total")).isPositive();
        }
    }

    private static boolean anyOpenWindow(long at, long watermark, Duration size, Duration advance, Duration grace) {
        long latest = paneStart(at, advance);
        for (long start = latest - size.toMillis() + advance.toMillis(); start <= latest; start += advance.toMillis()) {
            if (watermark < start + size.toMillis() + grace.toMillis()) {
                return true;
            }
        }
        return false;
    }

    private static long paneStart(long t, Duration advance) {
        return Math.floorDiv(t, advance.toMillis()) * advance.toMillis();
    }

    /** Each counted observation in every window containing it that was still open when it arrived. */
    private static Map<Long, List<Observation>> windows(List<Observation> counted, Duration size, Duration advance, Duration grace) {
        Map<Long, List<Observation>> windows = new TreeMap<>();
        for (Observation o : counted) {
            long latest = paneStart(o.at(), advance);
            for (long start = latest - size.toMillis() + advance.toMillis(); start <= latest; start += advance.toMillis()) {
                if (o.watermark() < start + size.toMillis() + grace.toMillis()) {
                    windows.computeIfAbsent(start, k -> new ArrayList<>()).add(o);
                }
            }
        }
        windows.values().forEach(list -> list.sort(Comparator.comparingLong(Observation::at)));
        return windows;
    }
}
