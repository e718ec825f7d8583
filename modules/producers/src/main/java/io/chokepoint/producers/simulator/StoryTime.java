package io.chokepoint.producers.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Times in scenario files: a date ({@code 2025-04-09}, midnight UTC) or an ISO-8601 date-time with offset. */
final class StoryTime {

    private StoryTime() {
    }

    static Instant parse(String where, String text) {
        if (text == null || text.isBlank()) {
            throw new ScenarioException(where + ": a date or date-time is required");
        }
        String t = text.strip();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new ScenarioException(where + ": '" + text + "' is not a date (2025-04-09) or a date-time with offset "
                    + "(2025-04-09T04:01:00Z)");
        }
    }
}
