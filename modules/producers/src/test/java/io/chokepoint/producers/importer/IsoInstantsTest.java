package io.chokepoint.producers.importer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path agrees with java.time on what it accepts and leaves everything else to it. */
class IsoInstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2025-04-09T12:01:00Z", "2025-04-09T12:01:00+08:00", "2025-04-09T12:01:00-04:30",
            "2025-04-09T12:01:00.5Z", "2025-04-09T12:01:00.123456789+01:00", "2024-02-29T23:59:59Z", "1990-01-01T00:00:00+14:00"})
    void agreesWithJavaTime(String text) {
        assertThat(IsoInstants.parseOrNull(text))
                .isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-04-09T12:01Z", "2025-04-09T12:01:00", "2025-04-09 12:01:00Z", "2025-02-30T00:00:00Z",
            "2025-13-01T00:00:00Z", "2025-04-09T24:00:00Z", "2025-04-09T12:01:00+0800", "2025-04-09T12:01:00.Z",
            "2025-04-09T12:01:00+08:00:30", "２０２５-04-09T12:01:00Z", "2025-04-09T12:01:00z"})
    void leavesEverythingElseToTheFullParser(String text) {
        assertThat(IsoInstants.parseOrNull(text)).isNull();
    }
}
