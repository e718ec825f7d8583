package io.chokepoint.rules.offline;

import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.rules.backtest.HistoryEvent;
import io.chokepoint.rules.backtest.ScenarioHistory;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The direct replay against the reference, Kafka's TopologyTestDriver ({@link Replay}): the same
 * story, fed to both, must give the same alerts (every field) and the same number of finals, in
 * the same order, at every step.
 */
class HistoryReplayTest {

    /** Two stalled rare-earth commodities, one chip line that only sees tariffs and licences, and a calm one. */
    private static final Set<String> COMMODITIES = Set.of("280530", "850511", "854231", "300490");

    @Test
    void the_backtest_settings_give_what_the_topology_test_driver_gives() {
        // as the backtest runs: a live view after every fact, the wall clock still until the end
        StreamsSettings streams = StreamsSettings.defaults().withEmitInterval(Duration.ZERO);
        RuleSettings rules = RuleSettings.defaults().forReplay();
        try (Replay reference = Replay.ofHistory(RuleSet.defaults(), rules, streams);
             HistoryReplay replay = HistoryReplay.of(RuleSet.defaults(), rules, streams)) {
            Compared compared = new Compared(reference, replay);
            ScenarioHistory story = new ScenarioHistory("trade-war-2025", 2025, COMMODITIES);
            while (story.hasNext()) {
                HistoryEvent e = story.next();
                reference.pipeEvent(e.event(), e.eventTime());
                replay.pipeEvent(e.event(), e.eventTime());
                compared.step("event " + e.eventTime());
            }
            // the backtest's close: an hour at a time until every window has closed
            for (int h = 0; h < 27; h++) {
                reference.advanceWallClock(Duration.ofHours(1));
                replay.advanceWallClock(Duration.ofHours(1));
                compared.step("closing hour " + h);
            }
            assertThat(compared.alerts).as("alerts").isGreaterThan(10);
            assertThat(compared.finals).as("finals").isGreaterThan(1_000);
        }
    }

    @Test
    void live_settings_with_a_moving_wall_clock_give_what_the_topology_test_driver_gives() {
        // as a live system: live views every 250 ms of wall clock, windows of quiet commodities closed
        // by wall clock, rules reconciled and quiet commodities resolved by wall clock
        StreamsSettings streams = StreamsSettings.defaults();
        RuleSettings rules = RuleSettings.defaults();
        try (Replay reference = Replay.ofHistory(RuleSet.defaults(), rules, streams);
             HistoryReplay replay = HistoryReplay.of(RuleSet.defaults(), rules, streams)) {
            Compared compared = new Compared(reference, replay);
            ScenarioHistory story = new ScenarioHistory("trade-war-2025", 2025, COMMODITIES);
            long n = 0;
            while (story.hasNext()) {
                HistoryEvent e = story.next();
                reference.pipeEvent(e.event(), e.eventTime());
                replay.pipeEvent(e.event(), e.eventTime());
                // mostly a beat of the live view's cadence; now and then a long pause, as when a feed stalls
                Duration wall = ++n % 2_000 == 0 ? Duration.ofHours(3) : Duration.ofMillis(n % 3 == 0 ? 250 : 90);
                reference.advanceWallClock(wall);
                replay.advanceWallClock(wall);
                compared.step("event " + n + " at " + e.eventTime());
            }
            assertThat(compared.alerts).as("alerts").isGreaterThan(10);
        }
    }

    @Test
    void no_input_emits_nothing_however_far_the_wall_clock_moves() {
        try (HistoryReplay replay = HistoryReplay.of(RuleSet.defaults(), RuleSettings.defaults(), StreamsSettings.defaults())) {
            replay.advanceWallClock(Duration.ofDays(30));
            assertThat(replay.drainAlerts()).isEmpty();
            assertThat(replay.drainStatsCount()).isZero();
        }
    }

    @Test
    void a_topology_with_a_node_it_did_not_record_is_refused_not_half_replayed() {
        RecordedTopology topology = new RecordedTopology();
        topology.addSource("plain-source", "some-topic"); // an overload RecordedTopology does not follow
        topology.addProcessor("recorded-processor", () -> new ContextualProcessor<Object, Object, Object, Object>() {
            @Override
            public void process(Record<Object, Object> record) {
            }
        }, "plain-source");
        assertThatThrownBy(topology::checkRecorded).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain-source").hasMessageNotContaining("recorded-processor");
    }

    @Test
    void a_processor_that_fails_is_named_with_the_record_or_the_punctuation_it_failed_on() {
        Topics topics = OfflineTopics.create();
        RecordedTopology topology = new RecordedTopology();
        topology.addSource(AutoOffsetReset.earliest(), "milestones", new StringDeserializer(),
                new StringDeserializer(), topics.shipmentMilestones().name());
        topology.addProcessor("ticking", () -> new ContextualProcessor<Object, Object, Object, Object>() {
            @Override
            public void init(ProcessorContext<Object, Object> context) {
                super.init(context);
                context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME,
                        now -> context.forward(new Record<>("tick", "tick", now)));
            }

            @Override
            public void process(Record<Object, Object> record) {
                context().forward(record);
            }
        }, "milestones");
        topology.addProcessor("failing", () -> new ContextualProcessor<Object, Object, Object, Object>() {
            @Override
            public void process(Record<Object, Object> record) {
                throw new IllegalStateException("cannot take " + record.key());
            }
        }, "ticking");
        HistoryReplay replay = new HistoryReplay(topology, topics);
        ShipmentMilestone m = ShipmentMilestone.newBuilder().setEventId("s1:DEPARTED").setShipmentId("s1").setHsCode("850511")
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.DEPARTED)
                .setPlannedAt(Instant.parse("2025-04-01T00:00:00Z")).setActualAt(Instant.parse("2025-04-01T01:00:00Z")).build();
        assertThatThrownBy(() -> replay.pipeEvent(m, m.getActualAt())).isInstanceOf(StreamsException.class)
                .hasMessageContaining(topics.shipmentMilestones().name() + "@0").hasMessageContaining("failing")
                .hasMessageContaining("cannot take 850511");
        assertThatThrownBy(() -> replay.advanceWallClock(Duration.ofMinutes(1))).isInstanceOf(StreamsException.class)
                .hasMessageContaining("punctuation of ticking").hasMessageContaining("a punctuation's output at failing")
                .hasMessageContaining("cannot take tick");
    }

    /** Drains both engines after each step and requires the same output. */
    private static final class Compared {
        final Replay reference;
        final HistoryReplay replay;
        long alerts;
        long finals;

        Compared(Replay reference, HistoryReplay replay) {
            this.reference = reference;
            this.replay = replay;
        }

        void step(String where) {
            List<DisruptionAlert> expected = new ArrayList<>();
            reference.drainAlerts().forEach(r -> expected.add(r.value()));
            assertThat(replay.drainAlerts()).as("alerts after " + where).isEqualTo(expected);
            long expectedFinals = reference.drainStatsCount();
            assertThat(replay.drainStatsCount()).as("finals after " + where).isEqualTo(expectedFinals);
            alerts += expected.size();
            finals += expectedFinals;
        }
    }
}
