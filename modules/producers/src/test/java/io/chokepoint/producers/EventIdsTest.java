package io.chokepoint.producers;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Event ids are the dedup key downstream: they must never drift between runs, formats or releases. */
class EventIdsTest {

    @Test
    void idsArePinnedSoAReleaseCannotSilentlyChangeThem() {
        // computed independently: UUID v3 = MD5 of "milestone", "SHP-1", "DEPARTED" joined by 0x1F with version/variant bits.
        // If this fails, re-imports after the change would count every fact twice downstream
        assertThat(EventIds.milestone("SHP-1", "DEPARTED")).isEqualTo(EventIds.of("milestone", "SHP-1", "DEPARTED"));
        assertThat(EventIds.milestone("SHP-1", "DEPARTED")).isEqualTo("20f3d865-8d41-33c4-885d-79a4eba749ed");
    }

    @Test
    void theSameInstantWithAnotherOffsetIsTheSameFact() {
        Instant utc = Instant.parse("2025-04-20T02:00:00Z");
        Instant beijing = OffsetDateTime.parse("2025-04-20T10:00:00+08:00").toInstant();
        assertThat(EventIds.licence("L1", "280530", "APPROVED", utc)).isEqualTo(EventIds.licence("L1", "280530", "APPROVED", beijing));
    }

    @Test
    void differentFactsGetDifferentIds() {
        assertThat(EventIds.milestone("S1", "DEPARTED")).isNotEqualTo(EventIds.milestone("S1", "ARRIVED"));
        assertThat(EventIds.tariff("T1", "850511", "US", "CN")).isNotEqualTo(EventIds.tariff("T1", "850511", "CN", "US"));
        // the separator keeps field boundaries: ("AB","C") is not ("A","BC")
        assertThat(EventIds.milestone("AB", "C")).isNotEqualTo(EventIds.milestone("A", "BC"));
        Instant t = Instant.parse("2025-04-20T02:00:00Z");
        assertThat(EventIds.licence("L1", "280530", "PENDING", t)).isNotEqualTo(EventIds.licence("L1", "280530", "APPROVED", t));
    }
}
