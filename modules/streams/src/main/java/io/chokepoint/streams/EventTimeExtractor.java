package io.chokepoint.streams;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.streams.dlq.UnreadableRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the fact itself (milestone actual time, licence decision time, tariff
 * announcement time) rather than the record timestamp, so a producer that forgot to set the
 * record timestamp still lands its facts in the right windows.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        if (value instanceof UnreadableRecord) {
            // its producer's timestamp is no event time: it must not move the windows on its way to the dead-letter topic
            return Math.max(partitionTime, 0);
        }
        long t;
        if (value instanceof ShipmentMilestone m) {
            t = m.getActualAt().toEpochMilli();
        } else if (value instanceof ExportLicenseDecision d) {
            t = d.getDecidedAt().toEpochMilli();
        } else if (value instanceof TariffChange c) {
            t = c.getAnnouncedAt().toEpochMilli();
        } else {
            t = record.timestamp();
        }
        // a negative time would make Kafka Streams skip the record silently; keep it flowing
        // so the processor rejects it to the dead-letter topic with a reason
        if (t < 0) {
            return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
        }
        return t;
    }
}
