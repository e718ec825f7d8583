package io.chokepoint.producers.importer;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.events.avro.TariffMeasure;
import io.chokepoint.producers.EventIds;
import io.chokepoint.producers.EventPublisher;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The three kinds of input file: their columns (docs/importing.md lists them), how a row becomes an
 * event, and where it is published. Columns marked optional may be left out of the header.
 */
public enum ImportKind {

    LICENCES(List.of("licence_id", "decided_at", "authority", "exporter", "importer", "hs_code", "decision", "quantity_kg"),
            Set.of("quantity_kg")) {
        @Override
        SpecificRecord map(FieldReader f) {
            String licenceId = f.text("licence_id", true);
            Instant decidedAt = f.timestamp("decided_at", true);
            String authority = f.text("authority", true);
            String exporter = f.country("exporter");
            String importer = f.country("importer");
            String hs = f.hsCode("hs_code");
            LicenceDecision decision = f.enumValue("decision", LicenceDecision.class, DECISIONS);
            Double quantity = f.number("quantity_kg", false, 0, MAX_KG);
            if (exporter != null && exporter.equals(importer)) {
                f.inconsistent("importer", importer, "exporter and importer are both " + importer + "; an export licence crosses a border");
            }
            if (!f.ok()) {
                return null;
            }
            return new ExportLicenseDecision(EventIds.licence(licenceId, hs, decision.name(), decidedAt), licenceId, decidedAt,
                    authority, exporter, importer, hs, decision, quantity);
        }

        @Override
        void publish(EventPublisher publisher, SpecificRecord event) {
            publisher.publish((ExportLicenseDecision) event);
        }
    },

    TARIFFS(List.of("change_id", "announced_at", "effective_at", "imposing_country", "target_country", "hs_code",
            "previous_rate_pct", "new_rate_pct", "measure"), Set.of()) {
        @Override
        SpecificRecord map(FieldReader f) {
            String changeId = f.text("change_id", true);
            Instant announcedAt = f.timestamp("announced_at", true);
            Instant effectiveAt = f.timestamp("effective_at", true);
            String imposing = f.country("imposing_country");
            String target = f.country("target_country");
            String hs = f.hsCode("hs_code");
            Double previous = f.number("previous_rate_pct", true, 0, MAX_RATE_PCT);
            Double next = f.number("new_rate_pct", true, 0, MAX_RATE_PCT);
            TariffMeasure measure = f.enumValue("measure", TariffMeasure.class, MEASURES);
            if (imposing != null && imposing.equals(target)) {
                f.inconsistent("target_country", target, "imposing and target country are both " + target);
            }
            if (previous != null && next != null && measure != null) {
                if (measure == TariffMeasure.INCREASE && next <= previous) {
                    f.inconsistent("new_rate_pct", String.valueOf(next), "measure INCREASE but the new rate " + next
                            + " % is not above the previous " + previous + " %");
                } else if (measure == TariffMeasure.DECREASE && next >= previous) {
                    f.inconsistent("new_rate_pct", String.valueOf(next), "measure DECREASE but the new rate " + next
                            + " % is not below the previous " + previous + " %");
                }
            }
            if (!f.ok()) {
                return null;
            }
            return new TariffChange(EventIds.tariff(changeId, hs, imposing, target), changeId, announcedAt, effectiveAt,
                    imposing, target, hs, previous, next, measure);
        }

        @Override
        void publish(EventPublisher publisher, SpecificRecord event) {
            publisher.publish((TariffChange) event);
        }
    },

    MILESTONES(List.of("shipment_id", "hs_code", "origin", "destination", "milestone", "planned_at", "actual_at",
            "quantity_kg", "carrier"), Set.of("quantity_kg", "carrier")) {
        @Override
        SpecificRecord map(FieldReader f) {
            String shipmentId = f.text("shipment_id", true);
            String hs = f.hsCode("hs_code");
            String origin = f.country("origin");
            String destination = f.country("destination");
            Milestone milestone = f.enumValue("milestone", Milestone.class, MILESTONE_STEPS);
            // a booking or a cancellation has no plan to be late against: planned defaults to actual
            boolean planOptional = milestone == Milestone.BOOKED || milestone == Milestone.CANCELLED;
            Instant planned = f.timestamp("planned_at", !planOptional);
            Instant actual = f.timestamp("actual_at", true);
            Double quantity = f.number("quantity_kg", false, 0, MAX_KG);
            String carrier = f.text("carrier", false);
            if (origin != null && origin.equals(destination)) {
                f.inconsistent("destination", destination, "origin and destination are both " + destination);
            }
            if (!f.ok()) {
                return null;
            }
            return new ShipmentMilestone(EventIds.milestone(shipmentId, milestone.name()), shipmentId, hs, origin, destination,
                    milestone, planned == null ? actual : planned, actual, quantity, carrier);
        }

        @Override
        void publish(EventPublisher publisher, SpecificRecord event) {
            publisher.publish((ShipmentMilestone) event);
        }
    };

    /** A million tonnes: larger quantities are typing errors, not shipments. */
    static final double MAX_KG = 1e9;
    /** Tariffs beyond 1000 % are typing errors (the 2025 peak was 145 %). */
    static final double MAX_RATE_PCT = 1000;

    private static final Set<LicenceDecision> DECISIONS = EnumSet.complementOf(EnumSet.of(LicenceDecision.UNKNOWN));
    private static final Set<TariffMeasure> MEASURES = EnumSet.complementOf(EnumSet.of(TariffMeasure.UNKNOWN));
    private static final Set<Milestone> MILESTONE_STEPS = EnumSet.complementOf(EnumSet.of(Milestone.UNKNOWN));

    private final List<String> columns;
    private final Set<String> optionalColumns;

    ImportKind(List<String> columns, Set<String> optionalColumns) {
        this.columns = columns;
        this.optionalColumns = optionalColumns;
    }

    public List<String> columns() {
        return columns;
    }

    public Set<String> optionalColumns() {
        return optionalColumns;
    }

    /** The command-line word: {@code licences}, {@code tariffs}, {@code milestones}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event for a valid row, or {@code null} with the reasons in {@code f.rejects()}. */
    abstract SpecificRecord map(FieldReader f);

    abstract void publish(EventPublisher publisher, SpecificRecord event);
}
