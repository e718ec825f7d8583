package io.chokepoint.rules.evaluation;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evaluator's binary state: every field survives, absent ones too, and state an earlier version wrote as JSON is still read. */
class RuleStateSerdeTest {

    static final StatsSnapshot FULL = new StatsSnapshot("850511", 1_743_465_600_000L, 1_743_552_000_000L, true, 42, 130.0, 96.0,
            1_743_600_000_000L, 12, 3, 0.25, 7, 2, 1_743_500_000_000L, List.of("CN-SHA→DE-HAM", "CN-NGB→US-LAX"),
            new TreeMap<>(Map.of("p95DelayHours", 126.83, "meanDelayHours", 51.5, "overdueShipments", 4.0)), 1_743_551_000_000L);
    static final StatsSnapshot SPARSE = new StatsSnapshot("280530", 0, 3_600_000, false, 0, null, null, null, 0, 0, null, 0, 0, null,
            List.of(), new TreeMap<>(), null);

    final CommodityCursorSerde cursors = new CommodityCursorSerde();
    final EpisodeSerde episodes = new EpisodeSerde();

    <T> T roundTrip(org.apache.kafka.common.serialization.Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void a_cursor_keeps_every_field_of_its_snapshot_and_absent_values_stay_absent() {
        CommodityCursor full = new CommodityCursor(5, 6, 7, 8, FULL);
        CommodityCursor sparse = new CommodityCursor(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, -1, SPARSE);
        CommodityCursor none = new CommodityCursor(1, 2, 3, 4, null);

        assertThat(roundTrip(cursors, full)).isEqualTo(full);
        assertThat(roundTrip(cursors, sparse)).isEqualTo(sparse);
        assertThat(roundTrip(cursors, none)).isEqualTo(none);
        assertThat(cursors.serializer().serialize("t", null)).isNull();
    }

    @Test
    void an_episode_keeps_every_field_pending_or_firing() {
        Episode pending = new Episode(Episode.Phase.PENDING, 100, 2, -1, -1, 0, 200, 80.5, "p95DelayHours", ">", "fp-1", null);
        Episode firing = new Episode(Episode.Phase.FIRING, 100, 3, 300, 400, 1, 500, -4.25, "licenceApprovalRate", "<", "fp-2", "a1b2c3");

        assertThat(roundTrip(episodes, pending)).isEqualTo(pending);
        assertThat(roundTrip(episodes, firing)).isEqualTo(firing);
    }

    @Test
    void state_written_as_json_by_an_earlier_version_is_read() {
        CommodityCursor cursor = new CommodityCursor(5, 6, 7, 8, FULL);
        Episode episode = new Episode(Episode.Phase.FIRING, 100, 3, 300, -1, 0, 500, 126.83, "p95DelayHours", ">", "fp", "id");
        byte[] oldCursor = new JsonSerde<>(CommodityCursor.class).serializer().serialize("t", cursor);
        byte[] oldEpisode = new JsonSerde<>(Episode.class).serializer().serialize("t", episode);

        assertThat(cursors.deserializer().deserialize("t", oldCursor)).isEqualTo(cursor);
        assertThat(episodes.deserializer().deserialize("t", oldEpisode)).isEqualTo(episode);
    }

    @Test
    void state_of_an_unknown_version_is_refused_with_what_this_build_writes() {
        assertThatThrownBy(() -> episodes.deserializer().deserialize("t", new byte[]{9, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Episode state of unknown version 9 (this build writes 1)");
    }

    @Test
    void truncated_state_is_refused_not_read_as_garbage() {
        byte[] bytes = episodes.serializer().serialize("t", new Episode(Episode.Phase.PENDING, 1, 1, -1, -1, 0, 1, 2.0, "m", ">", "fp", null));

        assertThatThrownBy(() -> episodes.deserializer().deserialize("t", java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("cannot read Episode: truncated or corrupt state");
    }
}
