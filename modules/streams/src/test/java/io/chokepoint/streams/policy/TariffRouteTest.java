package io.chokepoint.streams.policy;

import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate in force on a route, whatever order its changes arrive in. */
class TariffRouteTest {

    private static final long DAY = 86_400_000L;

    private static TariffChange change(String id, long announcedDay, long effectiveDay, double from, double to) {
        return TariffChange.newBuilder().setEventId(id).setChangeId(id)
                .setAnnouncedAt(Instant.ofEpochMilli(announcedDay * DAY)).setEffectiveAt(Instant.ofEpochMilli(effectiveDay * DAY))
                .setImposingCountry("US").setTargetCountry("CN").setHsCode("850511")
                .setPreviousRatePct(from).setNewRatePct(to).setMeasure(TariffMeasure.INCREASE).build();
    }

    @Test
    void rateInForceFollowsEffectiveTimesNotArrivalOrder() {
        TariffChange escalation = change("e", 10, 12, 20, 145);
        TariffChange pause = change("p", 20, 22, 145, 30);
        TariffRoute route = TariffRoute.empty(pause).with(pause).with(escalation);   // arrive out of order

        assertThat(route.rateAt(9 * DAY)).isEmpty();                 // nothing known yet
        assertThat(route.rateAt(11 * DAY)).hasValue(20.0);           // announced, not yet effective
        assertThat(route.rateAt(12 * DAY)).hasValue(145.0);
        assertThat(route.rateAt(21 * DAY)).hasValue(145.0);          // pause announced, not yet effective
        assertThat(route.rateAt(22 * DAY)).hasValue(30.0);
        assertThat(route.latestAnnouncedBy(21 * DAY)).hasValueSatisfying(c -> assertThat(c.points()).isEqualTo(-115.0));
    }

    @Test
    void reimportedChangeReplacesItselfAndHistoryIsBounded() {
        TariffRoute route = TariffRoute.empty(change("x", 0, 0, 0, 1));
        for (int i = 0; i < 40; i++) {
            route = route.with(change("c" + i, i, i, i, i + 1));
            route = route.with(change("c" + i, i, i, i, i + 1));
        }
        assertThat(route.changes()).hasSize(TariffRoute.KEPT_CHANGES);
        assertThat(route.rateAt(100 * DAY)).hasValue(40.0);
        TariffRoute decoded = new TariffRouteSerde().deserialize("t", new TariffRouteSerde().serialize("t", route));
        assertThat(decoded).isEqualTo(route);
    }
}
