package io.chokepoint.producers.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Users write their own scenarios: mistakes must be named precisely. */
class ScenarioLoaderTest {

    static final String MINIMAL = """
            name: tiny
            start: 2025-04-01
            end: 2025-04-03
            seed: 1
            baseline:
              bookingLeadDays: [1, 2]
              departureJitterHours: 2
              arrivalJitterHours: 2
              holdProbability: 0.1
              holdHours: [1, 2]
              clearanceHours: [1, 2]
              deliveryHours: [1, 2]
              cancelProbability: 0
            lanes:
              - commodities: ["850511", "8505.19"]
                routes: [CN-US]
                shipmentsPerDay: 5
                transitDays: 0.5
                quantityKg: [1, 2]
            tariffs:
              - {id: T1, announced: 2025-04-02, imposing: US, target: CN, newRatePct: 50, measure: increase}
            """;

    @TempDir
    Path dir;

    private Scenario load(String yaml) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, yaml);
        return ScenarioLoader.load(file.toString());
    }

    @Test
    void aUsersOwnFileLoadsAndPlays() throws IOException {
        Scenario s = load(MINIMAL);
        assertThat(s.name()).isEqualTo("tiny");
        assertThat(s.commodities()).containsExactly("850511", "850519");
        long events = 0;
        for (StoryGenerator g = new StoryGenerator(s, 1); g.hasNext(); g.next()) {
            events++;
        }
        assertThat(events).isGreaterThan(10);
    }

    @Test
    void mistakesNameTheSetting() {
        assertThatThrownBy(() -> load(MINIMAL.replace("shipmentsPerDay", "shipmentPerDay")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("unknown setting 'shipmentPerDay' at lanes[0].shipmentPerDay");
        assertThatThrownBy(() -> load(MINIMAL.replace("\"850511\"", "\"85051\"")))
                .hasMessageContaining("lanes[0].commodities: '85051' is not an HS-6 code");
        assertThatThrownBy(() -> load(MINIMAL.replace("CN-US", "CN-XX")))
                .hasMessageContaining("lanes[0].routes: 'XX' is not an ISO 3166-1 alpha-2 country code");
        assertThatThrownBy(() -> load(MINIMAL.replace("holdProbability: 0.1", "holdProbability: 1.5")))
                .hasMessageContaining("baseline.holdProbability must be between 0.0 and 1.0");
        assertThatThrownBy(() -> load(MINIMAL.replace("end: 2025-04-03", "end: 2025-03-03")))
                .hasMessageContaining("end 2025-03-03 must be after start");
        assertThatThrownBy(() -> load(MINIMAL.replace("measure: increase", "measure: hike")))
                .hasMessageContaining("tariffs[0].measure: 'hike' is not one of INCREASE");
        assertThatThrownBy(() -> ScenarioLoader.load("trade-war-2026"))
                .hasMessageContaining("unknown scenario 'trade-war-2026': use one of trade-war-2025");
        assertThatThrownBy(() -> load(MINIMAL + "disruptions:\n  - {name: d, strength: {2025-04-02: 1, 2025-04-01: 0}}\n"))
                .hasMessageContaining("disruptions[0] (d).strength: dates must increase");
    }
}
