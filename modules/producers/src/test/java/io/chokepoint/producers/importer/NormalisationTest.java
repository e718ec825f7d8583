package io.chokepoint.producers.importer;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.producers.EventIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a valid row becomes: normalised codes, instants, defaults, and its deterministic id. */
class NormalisationTest {

    private static Object map(ImportKind kind, String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        FieldReader reader = new FieldReader(new Row(7, values, Map.of(), List.of()));
        Object event = kind.map(reader);
        assertThat(reader.rejects()).isEmpty();
        return event;
    }

    @Test
    void milestoneCodesCountriesEnumsAndOffsetsAreNormalised() {
        ShipmentMilestone m = (ShipmentMilestone) map(ImportKind.MILESTONES, "shipment_id", " S-1 ", "hs_code", "8505.11",
                "origin", "cn", "destination", "us", "milestone", "customs hold", "planned_at", "2025-04-10T08:00:00+08:00",
                "actual_at", "2025-04-12T00:00:00Z", "quantity_kg", "1.5e3", "carrier", "");
        assertThat(m.getShipmentId()).isEqualTo("S-1");
        assertThat(m.getHsCode()).isEqualTo("850511");
        assertThat(m.getOrigin()).isEqualTo("CN");
        assertThat(m.getDestination()).isEqualTo("US");
        assertThat(m.getMilestone()).isEqualTo(Milestone.CUSTOMS_HOLD);
        assertThat(m.getPlannedAt()).isEqualTo(Instant.parse("2025-04-10T00:00:00Z"));
        assertThat(m.getQuantityKg()).isEqualTo(1500.0);
        assertThat(m.getCarrier()).isNull();
        assertThat(m.getEventId()).isEqualTo(EventIds.milestone("S-1", "CUSTOMS_HOLD"));
    }

    @Test
    void aBookingWithoutPlanIsPlannedWhenItHappened() {
        ShipmentMilestone m = (ShipmentMilestone) map(ImportKind.MILESTONES, "shipment_id", "S-2", "hs_code", "280530",
                "origin", "CN", "destination", "JP", "milestone", "BOOKED", "actual_at", "2025-03-02T10:00:00Z");
        assertThat(m.getPlannedAt()).isEqualTo(m.getActualAt());
    }

    @Test
    void licenceAndTariffRowsBecomeEvents() {
        ExportLicenseDecision l = (ExportLicenseDecision) map(ImportKind.LICENCES, "licence_id", "MOFCOM-1",
                "decided_at", "2025-04-20T10:00:00+08:00", "authority", "MOFCOM", "exporter", "CN", "importer", "de",
                "hs_code", "2846.90", "decision", "pending");
        assertThat(l.getHsCode()).isEqualTo("284690");
        assertThat(l.getDecision()).isEqualTo(LicenceDecision.PENDING);
        assertThat(l.getQuantityKg()).isNull();
        assertThat(l.getDecidedAt()).isEqualTo(Instant.parse("2025-04-20T02:00:00Z"));

        TariffChange t = (TariffChange) map(ImportKind.TARIFFS, "change_id", "CN-GENEVA", "announced_at", "2025-05-12T08:00:00Z",
                "effective_at", "2025-05-14T04:01:00Z", "imposing_country", "CN", "target_country", "US", "hs_code", "120190",
                "previous_rate_pct", "110", "new_rate_pct", "10", "measure", "PAUSE");
        assertThat(t.getMeasure()).isEqualTo(TariffMeasure.PAUSE);
        assertThat(t.getNewRatePct()).isEqualTo(10.0);
    }
}
