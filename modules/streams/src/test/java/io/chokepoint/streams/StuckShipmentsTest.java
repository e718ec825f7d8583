package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.streams.shipment.ShipmentSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.chokepoint.streams.TopologyFixture.at;
import static io.chokepoint.streams.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

/** Open shipments whose next milestone is overdue, counted even when the commodity falls silent. */
@ExtendWith(DevClusterExtension.class)
class StuckShipmentsTest {

    private static final String MAGNETS = "850511";

    private TopologyFixture fixture;

    @BeforeEach
    void start(DevCluster cluster) {
        Map<Milestone, Duration> lead = new EnumMap<>(ShipmentSchedule.defaults().leadTimes());
        lead.put(Milestone.DEPARTED, Duration.ofHours(10));      // transit planned 10 h after planned departure
        lead.put(Milestone.CUSTOMS_HOLD, Duration.ofHours(4));
        StreamsSettings settings = StreamsSettings.defaults()
                .withWindows(Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(1))
                .withEmitInterval(Duration.ZERO)
                .withOverdue(Duration.ofHours(2), new ShipmentSchedule(lead));
        fixture = new TopologyFixture(cluster, settings);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aShipmentIsOverdueOnceItsNextMilestoneIsLateByMoreThanTheMargin() {
        TopologyFixture f = fixture;
        f.milestonePlanned(MAGNETS, "stuck", Milestone.DEPARTED, at("1h"), at("1h"));     // next due 11:00, overdue after 13:00
        f.milestonePlanned(MAGNETS, "moving", Milestone.DEPARTED, at("1h"), at("1h"));
        f.milestonePlanned(MAGNETS, "moving", Milestone.ARRIVED, at("11h"), at("12h"));
        f.readLive();

        // the wall-clock check moves a quiet partition's time on by the 10 s it waited
        f.advanceStreamTimeTo(at("12h59m50s"));
        f.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(of(f.readLive(), MAGNETS)).as("13:00 is not past 11:00 + 2 h").isEmpty();

        f.advanceStreamTimeTo(at("13h00m01s"));
        f.driver.advanceWallClockTime(Duration.ofSeconds(10));
        List<CommodityDelayStats> update = of(f.readLive(), MAGNETS);
        assertThat(update).singleElement().satisfies(s -> {
            assertThat(s.getOverdueShipments()).isEqualTo(1);
            assertThat(s.getIsFinal()).isFalse();
        });

        // the stuck shipment finally arrives: the next stats carry 0 overdue
        f.milestonePlanned(MAGNETS, "stuck", Milestone.ARRIVED, at("11h"), at("14h"));
        assertThat(of(f.readLive(), MAGNETS)).isNotEmpty().allSatisfy(s -> assertThat(s.getOverdueShipments()).isZero());
    }

    @Test
    void overdueCountOfASilentCommodityIsReportedByWallClock() {
        TopologyFixture f = fixture;
        f.milestonePlanned(MAGNETS, "held", Milestone.CUSTOMS_HOLD, at("2h"), at("3h"));   // cleared due 06:00, overdue after 08:00
        f.readLive();
        // nothing more arrives anywhere: only wall-clock time passes (5 h 10 s of it)
        f.driver.advanceWallClockTime(Duration.ofHours(5).plusSeconds(10));
        List<CommodityDelayStats> update = of(f.readLive(), MAGNETS);
        assertThat(update).isNotEmpty();
        assertThat(update.get(update.size() - 1).getOverdueShipments()).isEqualTo(1);
        assertThat(update.get(update.size() - 1).getCustomsHolds()).isEqualTo(1);
    }

    @Test
    void aLateEarlierMilestoneDoesNotReopenAnArrivedShipment() {
        TopologyFixture f = fixture;
        f.milestonePlanned(MAGNETS, "s1", Milestone.ARRIVED, at("11h"), at("11h"));
        f.milestonePlanned(MAGNETS, "s1", Milestone.DEPARTED, at("1h"), at("1h"));
        f.advanceStreamTimeTo(at("20h"));
        f.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(of(f.readLive(), MAGNETS)).allSatisfy(s -> assertThat(s.getOverdueShipments()).isZero());
    }
}
