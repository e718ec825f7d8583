package io.chokepoint.producers.simulator;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.producers.EventPublisher;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** One generated fact with its story time (the record timestamp it is published with). */
public record SimEvent(long eventTimeMs, String hsCode, SpecificRecord event) {

    public void publishTo(EventPublisher publisher) {
        if (event instanceof ShipmentMilestone m) {
            publisher.publish(m);
        } else if (event instanceof ExportLicenseDecision l) {
            publisher.publish(l);
        } else if (event instanceof TariffChange t) {
            publisher.publish(t);
        } else {
            throw new IllegalStateException("no topic for " + event.getClass().getName());
        }
    }

    /** The event in Avro single-object encoding (schema fingerprint + binary), registry-free; for determinism checks. */
    public ByteBuffer toBytes() {
        try {
            if (event instanceof ShipmentMilestone m) {
                return m.toByteBuffer();
            } else if (event instanceof ExportLicenseDecision l) {
                return l.toByteBuffer();
            }
            return ((TariffChange) event).toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
