package io.chokepoint.streams;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.streams.window.DelayPane;
import io.chokepoint.streams.window.DelayObservation;

/**
 * What flows between the processors of the delay aggregation, each with the watermark it was
 * decided at (the shipment tracker owns the task's time; the others follow it).
 */
sealed interface DelayFact {

    long watermark();

    /** A delay observation that counts (not late, not a repeat), with the window starts its shipment newly covers. */
    record Counted(DelayObservation observation, DelayPane.Coverage coverage, long firstOpenStart, long watermark) implements DelayFact {
    }

    record Licence(ExportLicenseDecision decision, long watermark) implements DelayFact {
    }

    record Tariff(TariffChange change, long watermark) implements DelayFact {
    }

    /** The overdue-shipment count of the record's commodity changed. */
    record OverdueChanged(long watermark) implements DelayFact {
    }

    /** Time moved on without a fact (quiet partition, or a fact that changed nothing). */
    record Tick(long watermark) implements DelayFact {
    }
}
