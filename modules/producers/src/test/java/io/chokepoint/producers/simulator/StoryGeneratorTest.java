package io.chokepoint.producers.simulator;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The trade-war-2025 story, played without a broker: determinism, order and the effects the story promises. */
class StoryGeneratorTest {

    private static Scenario scenario;
    private static List<SimEvent> story;

    @BeforeAll
    static void playTheWholeStoryOnce() {
        scenario = ScenarioLoader.load("trade-war-2025");
        story = new ArrayList<>();
        new StoryGenerator(scenario, scenario.seed()).forEachRemaining(story::add);
    }

    private static String digest(long seed) {
        SequenceDigest digest = new SequenceDigest();
        new StoryGenerator(scenario, seed).forEachRemaining(digest::add);
        return digest.hex();
    }

    @Test
    void theSameSeedGivesAByteIdenticalSequenceAndAnotherSeedDoesNot() {
        SequenceDigest first = new SequenceDigest();
        story.forEach(first::add);
        assertThat(digest(scenario.seed())).isEqualTo(first.hex());
        assertThat(digest(scenario.seed() + 1)).isNotEqualTo(first.hex());
    }

    @Test
    void eventsComeInEventTimeOrderWithinTheStory() {
        for (int i = 1; i < story.size(); i++) {
            assertThat(story.get(i).eventTimeMs()).isGreaterThanOrEqualTo(story.get(i - 1).eventTimeMs());
        }
        assertThat(story.get(0).eventTimeMs()).isGreaterThanOrEqualTo(scenario.start().toEpochMilli());
        assertThat(story.get(story.size() - 1).eventTimeMs()).isLessThan(scenario.end().toEpochMilli());
        assertThat(story).hasSizeBetween(50_000, 200_000);
    }

    @Test
    void everyEventIdIsUniqueSoDedupNeverDropsADistinctFact() {
        Set<String> ids = new HashSet<>();
        for (SimEvent e : story) {
            String id = e.event().get(e.event().getSchema().getField("eventId").pos()).toString();
            assertThat(ids.add(id)).as("duplicate id %s for %s", id, e.event()).isTrue();
        }
    }

    @Test
    void theStorysCommoditiesAreAllShipped() {
        Set<String> shipped = new HashSet<>();
        story.stream().filter(e -> e.event() instanceof ShipmentMilestone).forEach(e -> shipped.add(e.hsCode()));
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(30)
                .contains("280530", "284610", "284690", "850511", "850519", "854231", "854232", "841112", "841191", "294200", "300490", "870380");
    }

    @Test
    void tariffsRiseTo130And110InAprilThenPauseAtGenevaInMay() {
        List<TariffChange> usOnMagnets = tariffs("US", "CN", "850511");
        assertThat(usOnMagnets).extracting(TariffChange::getNewRatePct).containsExactly(54.0, 104.0, 130.0, 30.0);
        assertThat(usOnMagnets.get(0).getPreviousRatePct()).isEqualTo(20.0);
        assertThat(usOnMagnets.get(3).getMeasure()).isEqualTo(TariffMeasure.PAUSE);
        assertThat(usOnMagnets.get(3).getAnnouncedAt()).isEqualTo(Instant.parse("2025-05-12T08:00:00Z"));

        List<TariffChange> chinaOnSoybeans = tariffs("CN", "US", "120190");
        assertThat(chinaOnSoybeans).extracting(TariffChange::getNewRatePct).containsExactly(44.0, 94.0, 110.0, 10.0);
        assertThat(chinaOnSoybeans).extracting(TariffChange::getMeasure).startsWith(TariffMeasure.RETALIATION);
    }

    @Test
    void rareEarthLicenceApprovalsCollapseInAprilAndPartlyRecoverInJune() {
        double march = approvalRate("280530", "2025-03-01", "2025-04-01");
        double may = approvalRate("280530", "2025-05-01", "2025-06-01");
        double lateJune = approvalRate("280530", "2025-06-20", "2025-07-01");
        assertThat(march).isGreaterThan(0.85);
        assertThat(may).isLessThan(0.2);
        assertThat(lateJune).isBetween(0.4, 0.8);
        assertThat(approvalRate("284610", "2025-05-01", "2025-06-01")).as("cerium is not controlled").isGreaterThan(0.85);
    }

    @Test
    void usLicenceControlsHitChipsInAprilAndJetEnginesInLateMay() {
        assertThat(approvalRate("854231", "2025-03-01", "2025-04-09")).isGreaterThan(0.8);
        assertThat(approvalRate("854231", "2025-04-20", "2025-07-01")).isLessThan(0.35);
        assertThat(approvalRate("841112", "2025-03-01", "2025-05-20")).isGreaterThan(0.85);
        assertThat(approvalRate("841112", "2025-06-01", "2025-07-01")).isLessThan(0.3);
    }

    @Test
    void magnetDeparturesFromChinaAreDelayedAndHeldFromApril() {
        double marchDelayH = meanDepartureDelayHours("850511", "2025-03-01", "2025-04-01");
        double mayDelayH = meanDepartureDelayHours("850511", "2025-05-01", "2025-06-01");
        assertThat(marchDelayH).isBetween(-6.0, 6.0);
        assertThat(mayDelayH).isGreaterThan(100);
        assertThat(holds("850511", "2025-03-01", "2025-04-01")).isLessThan(holds("850511", "2025-05-01", "2025-06-01") / 5);
        // unaffected commodity for contrast
        assertThat(meanDepartureDelayHours("090111", "2025-05-01", "2025-06-01")).isBetween(-6.0, 6.0);
    }

    private static List<TariffChange> tariffs(String imposing, String target, String hs) {
        return story.stream().map(SimEvent::event).filter(TariffChange.class::isInstance).map(TariffChange.class::cast)
                .filter(t -> t.getImposingCountry().equals(imposing) && t.getTargetCountry().equals(target) && t.getHsCode().equals(hs))
                .toList();
    }

    private static Predicate<SimEvent> between(String hs, String from, String to) {
        long a = Instant.parse(from + "T00:00:00Z").toEpochMilli();
        long b = Instant.parse(to + "T00:00:00Z").toEpochMilli();
        return e -> e.hsCode().equals(hs) && e.eventTimeMs() >= a && e.eventTimeMs() < b;
    }

    private static double approvalRate(String hs, String from, String to) {
        List<ExportLicenseDecision> decisions = story.stream().filter(between(hs, from, to)).map(SimEvent::event)
                .filter(ExportLicenseDecision.class::isInstance).map(ExportLicenseDecision.class::cast).toList();
        assertThat(decisions).hasSizeGreaterThan(20);
        return decisions.stream().filter(d -> d.getDecision() == LicenceDecision.APPROVED).count() / (double) decisions.size();
    }

    private static double meanDepartureDelayHours(String hs, String from, String to) {
        return story.stream().filter(between(hs, from, to)).map(SimEvent::event).filter(ShipmentMilestone.class::isInstance)
                .map(ShipmentMilestone.class::cast).filter(m -> m.getMilestone() == Milestone.DEPARTED)
                .mapToLong(m -> m.getActualAt().toEpochMilli() - m.getPlannedAt().toEpochMilli())
                .average().orElseThrow() / 3_600_000.0;
    }

    private static long holds(String hs, String from, String to) {
        return story.stream().filter(between(hs, from, to)).map(SimEvent::event).filter(ShipmentMilestone.class::isInstance)
                .map(ShipmentMilestone.class::cast).filter(m -> m.getMilestone() == Milestone.CUSTOMS_HOLD).count();
    }
}
