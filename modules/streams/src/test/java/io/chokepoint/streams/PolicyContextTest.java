package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffRoute;
import io.chokepoint.streams.query.StatsQueries;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.chokepoint.streams.TopologyFixture.at;
import static io.chokepoint.streams.TopologyFixture.finals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The tariff and licence context joined into stats from co-partitioned local state. */
@ExtendWith(DevClusterExtension.class)
class PolicyContextTest {

    private static final String MAGNETS = "850511";

    private TopologyFixture fixture;

    @BeforeEach
    void start(DevCluster cluster) {
        StreamsSettings settings = StreamsSettings.defaults()
                .withWindows(Duration.ofDays(1), Duration.ofDays(1), Duration.ZERO).withEmitInterval(Duration.ZERO);
        fixture = new TopologyFixture(cluster, settings);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void currentTariffIsTheHighestRateInForceAcrossRoutesAtTheWindow() {
        TopologyFixture f = fixture;
        // US on Chinese magnets: announced day 1, effective day 3: 20 % -> 54 %
        f.tariff(MAGNETS, "US", "CN", 20, 54, at("24h"), at("72h"));
        // EU on Chinese magnets: 10 % -> 12 %, effective at once
        f.tariff(MAGNETS, "EU", "CN", 10, 12, at("30h"), at("30h"));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("40h"), 1.0);   // day 1 window: US still 20 %
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("80h"), 2.0);   // day 3 window: US now 54 %
        // a pause announced on day 3, effective day 5, must not leak back into earlier windows
        f.tariff(MAGNETS, "US", "CN", 54, 30, at("81h"), at("120h"));
        f.advanceStreamTimeTo(at("6d"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).hasSize(2);
        CommodityDelayStats day1 = finals.get(0);
        assertThat(day1.getCurrentTariffPct()).isEqualTo(20.0);
        assertThat(day1.getLastTariffChangePct()).isCloseTo(2.0, within(1e-9));      // EU change, announced last by then
        assertThat(day1.getLastTariffChangeAt()).isEqualTo(at("30h"));
        CommodityDelayStats day3 = finals.get(1);
        assertThat(day3.getCurrentTariffPct()).isEqualTo(54.0);
        assertThat(day3.getLastTariffChangePct()).isCloseTo(-24.0, within(1e-9));     // the pause, announced on day 3
        assertThat(day3.getLastTariffChangeAt()).isEqualTo(at("81h"));
    }

    @Test
    void noTariffKnownLeavesTheContextEmpty() {
        TopologyFixture f = fixture;
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("2h"), 1.0);
        f.advanceStreamTimeTo(at("2d"));
        CommodityDelayStats s = finals(f.readStats(), MAGNETS).get(0);
        assertThat(s.getCurrentTariffPct()).isNull();
        assertThat(s.getLastTariffChangePct()).isNull();
        assertThat(s.getLicenceApprovalRate()).isNull();
        assertThat(s.getLicencesDecided()).isZero();
    }

    @Test
    void licenceApprovalRateCountsDecisionsInTheSameWindow() {
        TopologyFixture f = fixture;
        f.licence(MAGNETS, LicenceDecision.APPROVED, at("1h"));
        f.licence(MAGNETS, LicenceDecision.APPROVED, at("2h"));
        f.licence(MAGNETS, LicenceDecision.APPROVED, at("3h"));
        f.licence(MAGNETS, LicenceDecision.DENIED, at("4h"));
        f.licence(MAGNETS, LicenceDecision.PENDING, at("5h"));          // not a decision
        f.licence("280530", LicenceDecision.DENIED, at("6h"));          // other commodity
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h"), 1.0);
        f.licence(MAGNETS, LicenceDecision.REVOKED, at("25h"));         // next window
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("26h"), 1.0);
        f.advanceStreamTimeTo(at("3d"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).hasSize(2);
        assertThat(finals.get(0).getLicencesDecided()).isEqualTo(4);
        assertThat(finals.get(0).getLicencesApproved()).isEqualTo(3);
        assertThat(finals.get(0).getLicenceApprovalRate()).isEqualTo(0.75);
        assertThat(finals.get(1).getLicencesDecided()).isEqualTo(1);
        assertThat(finals.get(1).getLicenceApprovalRate()).isEqualTo(0.0);
    }

    /** The rare-earth stall read "licences 1 of 1 approved (100 %)": pending applications and the last approval tell it. */
    @Test
    void aStallShowsAsPendingApplicationsAndTheTimeOfTheLastApproval() {
        TopologyFixture f = fixture;
        f.licence(MAGNETS, LicenceDecision.APPROVED, at("1h"));
        f.milestone(MAGNETS, "s0", Milestone.DEPARTED, at("2h"), 1.0);
        f.licence(MAGNETS, LicenceDecision.PENDING, at("50h"));
        f.licence(MAGNETS, LicenceDecision.PENDING, at("51h"));
        f.licence(MAGNETS, LicenceDecision.PENDING, at("52h"));
        f.licence(MAGNETS, LicenceDecision.DENIED, at("53h"));
        f.licence(MAGNETS, LicenceDecision.APPROVED, at("54h"));
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("55h"), 1.0);
        f.licence(MAGNETS, LicenceDecision.PENDING, at("4d"));
        f.milestone(MAGNETS, "s4", Milestone.DEPARTED, at("97h"), 1.0);
        f.milestone(MAGNETS, "s6", Milestone.DEPARTED, at("145h"), 1.0); // day 6: no licence news since day 4
        f.milestone(MAGNETS, "s10", Milestone.DEPARTED, at("241h"), 1.0); // day 10: the approvals are older than the 7d on record
        f.advanceStreamTimeTo(at("12d"));

        List<CommodityDelayStats> finals = finals(f.readStats(), MAGNETS);
        assertThat(finals).extracting(CommodityDelayStats::getWindowStart).containsExactly(at("0h"), at("2d"), at("4d"), at("6d"), at("10d"));
        assertThat(finals.get(0).getLastLicenceApprovalAt()).as("the pane of the approval ends with the window").isEqualTo(at("24h"));
        CommodityDelayStats stall = finals.get(1);
        assertThat(stall.getLicencesApproved()).isEqualTo(1);
        assertThat(stall.getLicencesDenied()).isEqualTo(1);
        assertThat(stall.getLicencesPending()).isEqualTo(3);
        assertThat(stall.getLicencesDecided()).as("pending is not a decision").isEqualTo(2);
        assertThat(stall.getLastLicenceApprovalAt()).isEqualTo(at("3d"));
        CommodityDelayStats noApproval = finals.get(2);
        assertThat(noApproval.getLicencesPending()).isEqualTo(1);
        assertThat(noApproval.getLicenceApprovalRate()).isNull();
        assertThat(noApproval.getLastLicenceApprovalAt()).as("from an earlier window").isEqualTo(at("3d"));
        CommodityDelayStats quiet = finals.get(3);
        assertThat(quiet.getLicencesPending()).isZero();
        assertThat(quiet.getLicencesDecided()).isZero();
        assertThat(quiet.getLastLicenceApprovalAt()).as("no decision in the window, the last approval still on record").isEqualTo(at("3d"));
        assertThat(finals.get(4).getLastLicenceApprovalAt()).isNull();
    }

    @Test
    void statsAndPolicyTablesAreQueryableByCommodityAndTimeRange() {
        TopologyFixture f = fixture;
        f.tariff(MAGNETS, "US", "CN", 20, 54, at("1h"), at("2h"));
        f.licence(MAGNETS, LicenceDecision.APPROVED, at("1h"));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("3h"), 1.0);
        f.milestone(MAGNETS, "s2", Milestone.DEPARTED, at("27h"), 2.0);
        f.licence(MAGNETS, LicenceDecision.DENIED, at("30h"));
        f.milestone(MAGNETS, "s3", Milestone.DEPARTED, at("51h"), 3.0);
        f.advanceStreamTimeTo(at("60h"));

        StatsQueries queries = StatsQueries.of(new StatsQueries.Stores() {
            @Override
            public ReadOnlyWindowStore<String, CommodityDelayStats> stats() {
                return f.driver.getWindowStore(DelayAggregation.STATS_STORE);
            }

            @Override
            public ReadOnlyKeyValueStore<String, CommodityDelayStats> current() {
                return f.driver.getKeyValueStore(DelayAggregation.CURRENT_STORE);
            }

            @Override
            public ReadOnlyWindowStore<String, LicenceTally> licences() {
                return f.driver.getWindowStore(DelayAggregation.LICENCES_STORE);
            }

            @Override
            public ReadOnlyKeyValueStore<String, TariffRoute> tariffs() {
                return f.driver.getKeyValueStore(DelayAggregation.TARIFFS_STORE);
            }
        });
        assertThat(queries.windows(MAGNETS, at("0h"), at("24h")))
                .extracting(CommodityDelayStats::getWindowStart, CommodityDelayStats::getIsFinal)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(at("0h"), true), org.assertj.core.groups.Tuple.tuple(at("24h"), true));
        // by start time: a window whose start lies before 'from' is not asked for, even while 'from' lies inside it
        assertThat(queries.windows(MAGNETS, at("1h"), at("24h"))).extracting(CommodityDelayStats::getWindowStart).containsExactly(at("24h"));
        assertThat(queries.windows(MAGNETS, at("24h"), at("24h"))).extracting(CommodityDelayStats::getWindowStart).containsExactly(at("24h"));
        assertThat(queries.windows(MAGNETS, at("25h"), at("60h"))).isEmpty();
        assertThat(queries.latest(MAGNETS)).hasValueSatisfying(s -> {
            assertThat(s.getWindowStart()).isEqualTo(at("48h"));
            assertThat(s.getIsFinal()).isFalse();
        });
        assertThat(queries.latestPerCommodity()).containsKeys(MAGNETS, "999999");
        assertThat(queries.tariffRoutes(MAGNETS)).singleElement().satisfies(r -> assertThat(r.rateAt(at("3h").toEpochMilli())).hasValue(54.0));
        assertThat(queries.licences(MAGNETS, at("0h"), at("47h")).decided()).isEqualTo(2);
        assertThat(queries.ownerOf(MAGNETS).local()).isTrue();
        assertThat(queries.windows("280530", at("0h"), at("60h"))).isEmpty();
    }

    @Test
    void licenceDecisionsUpdateTheLiveStatsOfTheirWindow() {
        TopologyFixture f = fixture;
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("1h"), 1.0);
        f.readLive();
        f.licence(MAGNETS, LicenceDecision.DENIED, at("2h"));
        List<CommodityDelayStats> live = f.readLive();
        assertThat(live).singleElement().satisfies(s -> {
            assertThat(s.getIsFinal()).isFalse();
            assertThat(s.getLicenceApprovalRate()).isEqualTo(0.0);
        });
    }
}
