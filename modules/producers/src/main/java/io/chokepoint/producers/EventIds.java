package io.chokepoint.producers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic event ids: a name-based (version 3) UUID of the fields that identify a fact.
 * Importing the same row twice, from CSV or JSON lines, with {@code +08:00} or {@code Z}
 * offsets, yields the same id, so downstream deduplication can recognise the repeat.
 *
 * <p>Times enter as epoch milliseconds, never as the text of the file, for that reason.
 */
public final class EventIds {

    private static final char SEPARATOR = '\u001f'; // unit separator: cannot occur in a validated field

    private EventIds() {
    }

    /** A licence decision is identified by the licence, the commodity, the outcome and when it was taken. */
    public static String licence(String licenceId, String hsCode, String decision, Instant decidedAt) {
        return of("licence", licenceId, hsCode, decision, Long.toString(decidedAt.toEpochMilli()));
    }

    /** A tariff change is identified by the measure's reference and whom it taxes on what. */
    public static String tariff(String changeId, String hsCode, String imposingCountry, String targetCountry) {
        return of("tariff", changeId, hsCode, imposingCountry, targetCountry);
    }

    /**
     * A shipment reaches each milestone once, so (shipment, milestone) is the identity: a second
     * event for the same pair (a re-import, a producer's retry) is the same fact, counted once.
     */
    public static String milestone(String shipmentId, String milestone) {
        return of("milestone", shipmentId, milestone);
    }

    static String of(String kind, String... parts) {
        StringBuilder name = new StringBuilder(kind);
        for (String part : parts) {
            name.append(SEPARATOR).append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
