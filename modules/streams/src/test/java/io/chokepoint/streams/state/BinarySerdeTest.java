package io.chokepoint.streams.state;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.streams.shipment.ShipmentState;
import io.chokepoint.streams.shipment.ShipmentStateSerde;
import io.chokepoint.streams.window.DelayObservation;
import io.chokepoint.streams.window.DelayPane;
import io.chokepoint.streams.window.DelayPaneSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state serdes share one buffer and one pair of streams per thread: no value may see another's bytes. */
class BinarySerdeTest {

    private final ShipmentStateSerde shipments = new ShipmentStateSerde();
    private final DelayPaneSerde panes = new DelayPaneSerde(24);

    @Test
    void aSmallValueAfterALargeOneCarriesNothingOfIt() {
        // routes enough to grow the thread's buffer well past its first size; a decoded pane's routes
        // iterate in another order than the original's, so compare with the bytes of a decoded copy
        byte[] largeBytes = canonical(pane(300));
        assertThat(largeBytes.length).isGreaterThan(4096);
        byte[] smallBytes = panes.serialize("t", pane(1));

        assertThat(panes.serialize("t", panes.deserialize("t", smallBytes))).isEqualTo(smallBytes);
        assertThat(panes.serialize("t", panes.deserialize("t", largeBytes))).isEqualTo(largeBytes);
        assertThat(panes.serialize("t", panes.deserialize("t", smallBytes))).isEqualTo(smallBytes);
        assertThat(smallBytes.length).isLessThan(largeBytes.length / 10);
    }

    @Test
    void shipmentStatesOfEveryShapeRoundTrip() {
        for (int i = 0; i < 200; i++) {
            ShipmentState s = ShipmentState.first("SHP-" + "x".repeat(i % 37) + i, Milestone.DEPARTED, 1_000L * i, 2_000L * i);
            if (i % 3 == 0) {
                s = s.withObservation(Milestone.DEPARTED, 3_000L * i);
            }
            s = s.withTimer(4_000L * i, i % 2 == 0);
            ShipmentState back = shipments.deserialize("t", shipments.serialize("t", s));
            assertThat(back.shipmentId()).isEqualTo(s.shipmentId());
            assertThat(back.lastMilestone()).isEqualTo(s.lastMilestone());
            assertThat(back.plannedAt()).isEqualTo(s.plannedAt());
            assertThat(back.actualAt()).isEqualTo(s.actualAt());
            assertThat(back.observedAt()).isEqualTo(s.observedAt());
            assertThat(back.timerAt()).isEqualTo(s.timerAt());
            assertThat(back.overdue()).isEqualTo(s.overdue());
        }
    }

    @Test
    void aValueThatCannotBeReadLeavesTheNextReadIntact() {
        byte[] good = shipments.serialize("t", ShipmentState.first("SHP-1", Milestone.BOOKED, 10, 20));
        byte[] truncated = Arrays.copyOf(good, good.length - 3);

        assertThatThrownBy(() -> shipments.deserialize("t", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode shipment state from " + truncated.length + " bytes");
        assertThat(shipments.deserialize("t", good).shipmentId()).isEqualTo("SHP-1");

        byte[] newer = good.clone();
        newer[0] = 9;
        assertThatThrownBy(() -> shipments.deserialize("t", newer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("written in format 9 by a newer release");
        assertThat(shipments.deserialize("t", good).plannedAt()).isEqualTo(10);
    }

    @Test
    void threadsEncodingAtOnceEachGetTheirOwnBytes() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int routes = 1 + t * 40;
                results.add(pool.submit(() -> {
                    byte[] expected = canonical(pane(routes));
                    for (int i = 0; i < 2_000; i++) {
                        if (!Arrays.equals(panes.serialize("t", panes.deserialize("t", expected)), expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] canonical(DelayPane pane) {
        return panes.serialize("t", panes.deserialize("t", panes.serialize("t", pane)));
    }

    private static DelayPane pane(int routes) {
        DelayPane pane = new DelayPane(24);
        for (int i = 0; i < routes; i++) {
            pane.add(new DelayObservation("850511", "SHP-" + i, Milestone.ARRIVED, "CN-" + "R".repeat(10) + i, 3_600_000L * (i % 50) - 7_200_000L,
                    1_000L + i), DelayPane.Coverage.NONE);
        }
        return pane;
    }
}
