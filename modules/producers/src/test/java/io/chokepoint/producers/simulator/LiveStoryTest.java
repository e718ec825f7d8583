package io.chokepoint.producers.simulator;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Live mode moves the story onto the wall clock and changes nothing a rule reads but the time. */
class LiveStoryTest {

    private final Scenario scenario = ScenarioLoader.load("trade-war-2025");

    @Test
    void everyKindOfEventIsStampedNowAndKeepsItsDelayOrNotice() {
        LiveStory live = new LiveStory("L1-");
        long now = Instant.parse("2026-12-03T09:00:00Z").toEpochMilli();
        Set<Class<?>> kinds = new HashSet<>();
        StoryGenerator story = new StoryGenerator(scenario, scenario.seed());
        for (int i = 0; i < 20_000 && story.hasNext(); i++) {
            SimEvent original = story.next();
            SimEvent moved = live.at(original, now);
            kinds.add(moved.event().getClass());
            assertThat(moved.eventTimeMs()).isEqualTo(now);
            assertThat(moved.hsCode()).isEqualTo(original.hsCode());
            if (original.event() instanceof ShipmentMilestone m) {
                ShipmentMilestone l = (ShipmentMilestone) moved.event();
                assertThat(Duration.between(l.getPlannedAt(), l.getActualAt())).isEqualTo(Duration.between(m.getPlannedAt(), m.getActualAt()));
                assertThat(l.getActualAt().toEpochMilli() - m.getActualAt().toEpochMilli()).isEqualTo(now - original.eventTimeMs());
                assertThat(l.getShipmentId()).isEqualTo("L1-" + m.getShipmentId());
                assertThat(l.getEventId()).isEqualTo("L1-" + m.getEventId());
                assertThat(l.getMilestone()).isEqualTo(m.getMilestone());
                assertThat(l.getQuantityKg()).isEqualTo(m.getQuantityKg());
            } else if (original.event() instanceof ExportLicenseDecision d) {
                ExportLicenseDecision l = (ExportLicenseDecision) moved.event();
                assertThat(l.getDecidedAt().toEpochMilli() - d.getDecidedAt().toEpochMilli()).isEqualTo(now - original.eventTimeMs());
                assertThat(l.getLicenceId()).isEqualTo("L1-" + d.getLicenceId());
                assertThat(l.getDecision()).isEqualTo(d.getDecision());
            } else {
                TariffChange t = (TariffChange) original.event();
                TariffChange l = (TariffChange) moved.event();
                assertThat(Duration.between(l.getAnnouncedAt(), l.getEffectiveAt())).isEqualTo(Duration.between(t.getAnnouncedAt(), t.getEffectiveAt()));
                assertThat(l.getChangeId()).isEqualTo("L1-" + t.getChangeId());
                assertThat(l.getNewRatePct()).isEqualTo(t.getNewRatePct());
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(ShipmentMilestone.class, ExportLicenseDecision.class, TariffChange.class);
    }

    @Test
    void runsStartedAtDifferentSecondsTagTheirIdentifiersDifferently() {
        StoryGenerator story = new StoryGenerator(scenario, 1);
        SimEvent first = story.next();
        while (!(first.event() instanceof ShipmentMilestone)) {
            first = story.next();
        }
        String a = ((ShipmentMilestone) LiveStory.startingAt(Instant.ofEpochSecond(1_764_748_800)).at(first, 0).event()).getEventId().toString();
        String b = ((ShipmentMilestone) LiveStory.startingAt(Instant.ofEpochSecond(1_764_748_801)).at(first, 0).event()).getEventId().toString();
        assertThat(a).isNotEqualTo(b).endsWith(((ShipmentMilestone) first.event()).getEventId().toString());
    }

    @Test
    void aLiveRunSendsEventsStampedWithTheWallClock() throws InterruptedException {
        List<SimEvent> sent = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long before = System.currentTimeMillis();
        new Simulator(scenario, new Simulator.Options(1, 864_000, 0, Optional.of(Duration.ofMillis(500)), true), null).run(e -> {
            sent.add(e);
            sentAt.add(System.currentTimeMillis());
        });
        assertThat(sent).isNotEmpty();
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).eventTimeMs()).isBetween(before, sentAt.get(i));
        }
    }
}
