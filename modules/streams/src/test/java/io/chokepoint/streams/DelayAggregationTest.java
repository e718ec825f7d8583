package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.Milestone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.chokepoint.streams.TopologyFixture.at;
import static io.chokepoint.streams.TopologyFixture.finals;
import static io.chokepoint.streams.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Windowing of delay observations: boundaries, hopping, grace, order, duplicates, final records. */
@ExtendWith(DevClusterExtension.class)
class DelayAggregationTest {

    private static final String MAGNETS = "850511";
    private static final String RARE_EARTHS = "280530";

    private DevCluster cluster;
    private TopologyFixture fixture;

    @BeforeEach
    void cluster(DevCluster devCluster) {
        this.cluster = devCluster;
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TopologyFixture start(Duration size, Duration advance, Duration grace) {
        StreamsSettings settings = StreamsSettings.defaults().withWindows(size, advance, grace).withEmitInterval(Duration.ZERO);
        fixture = new TopologyFixture(cluster, settings);
        return fixture;
    }

    @Test
    void windowBoundariesAreStartInclusiveEndExclusive() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(10));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h"), 1.0);
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("10h59m59.999s"), 2.0);
        f.milestone(MAGNETS, "s3", Milestone.DEPARTED, at("11h"), 3.0);
        f.advanceStreamTimeTo(at("12h10m"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).hasSize(2);
        assertThat(finals.get(0).getWindowStart()).isEqualTo(at("10h"));
        assertThat(finals.get(0).getWindowEnd()).isEqualTo(at("11h"));
        assertThat(finals.get(0).getCount()).isEqualTo(2);
        assertThat(finals.get(0).getMaxDelayHours()).isEqualTo(2.0);
        assertThat(finals.get(1).getWindowStart()).isEqualTo(at("11h"));
        assertThat(finals.get(1).getCount()).isEqualTo(1);
        assertThat(f.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void hoppingWindowsEachCountAnObservationTheyOverlap() {
        TopologyFixture f = start(Duration.ofHours(3), Duration.ofHours(1), Duration.ZERO);
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h30m"), 5.0);
        f.milestone(MAGNETS, "s2", Milestone.CLEARED, at("11h30m"), 7.0);
        f.advanceStreamTimeTo(at("15h"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).extracting(CommodityDelayStats::getWindowStart)
                .containsExactly(at("8h"), at("9h"), at("10h"), at("11h"));
        assertThat(finals).extracting(CommodityDelayStats::getCount).containsExactly(1L, 2L, 2L, 1L);
        assertThat(finals.get(1).getMeanDelayHours()).isCloseTo(6.0, within(1e-9));
        assertThat(finals).allSatisfy(s -> assertThat(Duration.between(s.getWindowStart(), s.getWindowEnd())).isEqualTo(Duration.ofHours(3)));
    }

    @Test
    void lateObservationWithinGraceIsCounted() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(30));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h10m"), 1.0);
        f.advanceStreamTimeTo(at("11h20m"));
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("10h50m"), 3.0);
        assertThat(finals(f.readStats(), MAGNETS)).as("no final before end + grace").isEmpty();

        f.advanceStreamTimeTo(at("11h30m"));
        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).getCount()).isEqualTo(2);
        assertThat(f.metric(DelayAggregation.METRIC_LATE_DROPPED + "-total")).isZero();
    }

    @Test
    void lateObservationBeyondGraceIsDroppedAndCountedNotDeadLettered() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(30));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h10m"), 1.0);
        f.advanceStreamTimeTo(at("11h30m")); // 10:00 window closes exactly now
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("10h50m"), 3.0);
        f.advanceStreamTimeTo(at("13h"));

        List<CommodityDelayStats> all = f.readStats();
        assertThat(finals(all, MAGNETS)).hasSize(1);
        assertThat(finals(all, MAGNETS).get(0).getCount()).isEqualTo(1);
        assertThat(of(all, MAGNETS)).noneMatch(s -> s.getMaxDelayHours() == 3.0);
        assertThat(f.metric(DelayAggregation.METRIC_LATE_DROPPED + "-total")).isEqualTo(1.0);
        assertThat(f.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void outOfOrderObservationsLandInTheirOwnWindows() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("11h40m"), 4.0);
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("10h10m"), 1.0);
        f.milestone(MAGNETS, "s3", Milestone.DEPARTED, at("11h05m"), 2.0);
        f.milestone(MAGNETS, "s4", Milestone.DEPARTED, at("10h30m"), 6.0);
        f.advanceStreamTimeTo(at("14h"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).extracting(CommodityDelayStats::getCount).containsExactly(2L, 2L);
        assertThat(finals.get(0).getMinDelayHours()).isEqualTo(1.0);
        assertThat(finals.get(0).getMaxDelayHours()).isEqualTo(6.0);
        assertThat(finals.get(1).getMinDelayHours()).isEqualTo(2.0);
        assertThat(finals.get(1).getMaxDelayHours()).isEqualTo(4.0);
    }

    @Test
    void duplicateObservationsOfAShipmentMilestoneCountOnce() {
        TopologyFixture f = start(Duration.ofHours(2), Duration.ofHours(2), Duration.ZERO);
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h10m"), 1.0);
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h10m"), 1.0); // the same file imported again
        f.milestone(MAGNETS, "s1", Milestone.CUSTOMS_HOLD, at("11h"), 10.0);
        f.milestone(MAGNETS, "s1", Milestone.CUSTOMS_HOLD, at("11h"), 10.0);
        f.advanceStreamTimeTo(at("13h"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).getCount()).isEqualTo(2);
        assertThat(finals.get(0).getDistinctShipments()).isEqualTo(1);
        assertThat(finals.get(0).getCustomsHolds()).isEqualTo(1);
        assertThat(f.metric(DelayAggregation.METRIC_DUPLICATES + "-total")).isEqualTo(2.0);
    }

    @Test
    void aRepeatWithACorrectedTimeIsStillTheSameObservation() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
        f.milestone(MAGNETS, "s1", Milestone.CLEARED, at("11h55m"), 1.0);
        f.milestone(MAGNETS, "s1", Milestone.CLEARED, at("12h05m"), 1.5); // re-reported 10 min later, across a dedup bucket edge
        f.advanceStreamTimeTo(at("15h"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).singleElement().satisfies(s -> {
            assertThat(s.getWindowStart()).isEqualTo(at("11h"));
            assertThat(s.getCount()).isEqualTo(1);
        });
        assertThat(f.metric(DelayAggregation.METRIC_DUPLICATES + "-total")).isEqualTo(1.0);
    }

    @Test
    void bookedAndCancelledAreNotDelayObservations() {
        TopologyFixture f = start(Duration.ofHours(2), Duration.ofHours(2), Duration.ZERO);
        f.milestone(MAGNETS, "s1", Milestone.BOOKED, at("10h"), 50.0);
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h30m"), 2.0);
        f.milestone(MAGNETS, "s2", Milestone.CANCELLED, at("11h"), 80.0);
        f.advanceStreamTimeTo(at("13h"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).singleElement().satisfies(s -> {
            assertThat(s.getCount()).isEqualTo(1);
            assertThat(s.getMaxDelayHours()).isEqualTo(2.0);
        });
    }

    @Test
    void negativeDelaysOfEarlyShipmentsAreKeptWithTheirSign() {
        TopologyFixture f = start(Duration.ofHours(2), Duration.ofHours(2), Duration.ZERO);
        f.milestone(MAGNETS, "s1", Milestone.ARRIVED, at("10h"), -5.0);
        f.milestone(MAGNETS, "s2", Milestone.ARRIVED, at("10h10m"), -1.0);
        f.milestone(MAGNETS, "s3", Milestone.ARRIVED, at("10h20m"), 2.0);
        f.advanceStreamTimeTo(at("13h"));

        CommodityDelayStats s = finals(f.readStats(), MAGNETS).get(0);
        assertThat(s.getMinDelayHours()).isEqualTo(-5.0);
        assertThat(s.getMaxDelayHours()).isEqualTo(2.0);
        assertThat(s.getMeanDelayHours()).isCloseTo(-4.0 / 3, within(1e-9));
        assertThat(s.getP50DelayHours()).isCloseTo(-1.0, within(0.01));
        // quantiles are the lower nearest rank, value at rank floor(q * (n - 1)): with three values p99 is the middle one
        assertThat(s.getP99DelayHours()).isCloseTo(-1.0, within(0.01));
        assertThat(s.getTopRoutes()).containsExactly("CN-US");
    }

    @Test
    void finalRecordIsEmittedExactlyOnceAfterEndPlusGraceAndLiveUpdatesBefore() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(15));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h10m"), 1.0);
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("10h20m"), 2.0);
        assertThat(f.readStats()).as("finals only on the stats topic").isEmpty();
        List<CommodityDelayStats> live = f.readLive();
        assertThat(live).extracting(CommodityDelayStats::getIsFinal).containsOnly(false);
        assertThat(live).extracting(CommodityDelayStats::getCount).containsExactly(1L, 2L);
        assertThat(live.get(1).getWindowStart()).isEqualTo(at("10h"));

        f.advanceStreamTimeTo(at("11h14m59.999s"));
        assertThat(finals(f.readStats(), MAGNETS)).as("grace not yet over").isEmpty();

        f.advanceStreamTimeTo(at("11h15m"));
        assertThat(finals(f.readStats(), MAGNETS)).hasSize(1);

        f.advanceStreamTimeTo(at("13h"));
        f.driver.advanceWallClockTime(Duration.ofHours(5));
        f.advanceStreamTimeTo(at("20h"));
        assertThat(finals(f.readStats(), MAGNETS)).as("no second final").isEmpty();
    }

    @Test
    void quietCommodityWindowsCloseByWallClock() {
        TopologyFixture f = start(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(30));
        f.milestone(RARE_EARTHS, "s1", Milestone.DEPARTED, at("10h10m"), 3.0);
        f.readStats();

        // the whole partition goes quiet: stream time stays at 10:10
        f.driver.advanceWallClockTime(Duration.ofMinutes(60));
        assertThat(finals(f.readStats(), RARE_EARTHS)).as("10:10 + 60 min < 11:30").isEmpty();

        f.driver.advanceWallClockTime(Duration.ofMinutes(21));
        List<CommodityDelayStats> finals = finals(f.readStats(), RARE_EARTHS);
        assertThat(finals).hasSize(1);
        assertThat(finals.get(0).getCount()).isEqualTo(1);

        // a straggler for the closed window is late even though stream time never got there
        f.milestone(RARE_EARTHS, "s2", Milestone.DEPARTED, at("10h40m"), 9.0);
        assertThat(f.metric(DelayAggregation.METRIC_LATE_DROPPED + "-total")).isEqualTo(1.0);
    }

    @Test
    void liveUpdatesAreRateLimitedByTheEmitInterval() {
        StreamsSettings settings = StreamsSettings.defaults()
                .withWindows(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO).withEmitInterval(Duration.ofSeconds(5));
        fixture = new TopologyFixture(cluster, settings);
        TopologyFixture f = fixture;
        for (int i = 0; i < 10; i++) {
            f.milestone(MAGNETS, "s" + i, Milestone.DEPARTED, at("10h" + (i + 1) + "m"), i);
        }
        assertThat(f.readLive()).isEmpty();
        f.driver.advanceWallClockTime(Duration.ofSeconds(5));
        List<CommodityDelayStats> live = f.readLive();
        assertThat(live).singleElement().satisfies(s -> {
            assertThat(s.getIsFinal()).isFalse();
            assertThat(s.getCount()).isEqualTo(10);
        });
    }

    @Test
    void oneLiveViewPerChangedCommodityPerEmitIntervalNotOnePerOpenWindow() {
        fixture = new TopologyFixture(cluster, StreamsSettings.defaults()); // 24 h windows hopping by 1 h, live every 5 s
        TopologyFixture f = fixture;
        for (int i = 0; i < 10; i++) {
            f.milestone(MAGNETS, "m" + i, Milestone.DEPARTED, at("10h").plusSeconds(i * 300L), i);
            f.milestone(RARE_EARTHS, "r" + i, Milestone.DEPARTED, at("10h").plusSeconds(i * 300L), 2 * i);
        }
        f.driver.advanceWallClockTime(Duration.ofSeconds(5));

        List<CommodityDelayStats> live = f.readLive();
        assertThat(live).extracting(CommodityDelayStats::getHsCode).containsExactly(MAGNETS, RARE_EARTHS);
        assertThat(live).allSatisfy(s -> {
            assertThat(s.getCount()).isEqualTo(10);
            // the trailing window: the newest one, ending at the watermark's next advance (11:00)
            assertThat(s.getWindowEnd()).isEqualTo(at("11h"));
            assertThat(s.getWindowStart()).isEqualTo(at("11h").minus(Duration.ofHours(24)));
        });
        assertThat(f.readStats()).as("no window has closed").isEmpty();

        f.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(f.readLive()).as("nothing changed").isEmpty();
    }

    @Test
    void sketchQuantilesStayWithinOnePercentOfExact() {
        TopologyFixture f = start(Duration.ofHours(24), Duration.ofHours(24), Duration.ZERO);
        java.util.Random random = new java.util.Random(7);
        double[] delays = new double[2000];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = Math.round((random.nextGaussian() * 30 + 20) * 100) / 100.0;
            Instant actual = at("1h").plusSeconds(i * 30L);
            f.milestone(MAGNETS, "s" + i, Milestone.ARRIVED, actual, delays[i]);
        }
        f.advanceStreamTimeTo(at("25h"));
        CommodityDelayStats s = finals(f.readStats(), MAGNETS).get(0);
        java.util.Arrays.sort(delays);
        for (double[] q : new double[][]{{0.5, s.getP50DelayHours()}, {0.9, s.getP90DelayHours()},
                {0.95, s.getP95DelayHours()}, {0.99, s.getP99DelayHours()}}) {
            double exact = delays[(int) Math.floor(q[0] * (delays.length - 1))];
            // delays are rounded to 0.01 h when piped (ms), so allow that on top of the sketch's 1 %
            assertThat(q[1]).as("p" + (int) (q[0] * 100)).isCloseTo(exact, within(Math.abs(exact) * 0.01 + 0.01));
        }
    }
}
