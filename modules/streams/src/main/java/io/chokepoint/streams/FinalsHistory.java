package io.chokepoint.streams;

import io.chokepoint.events.avro.CommodityDelayStats;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

/**
 * Keeps each window's final, read back from {@code commodity-delay-stats}, as a version of its
 * commodity at the record's time ({@code windowEnd − 1 ms}): the window history the dashboard
 * queries. A restore reads the same records from the same topic, so what is kept is exactly what
 * the topic holds, committed, within {@code streams.store.retention}.
 */
final class FinalsHistory implements Processor<String, CommodityDelayStats, Void, Void> {

    private VersionedKeyValueStore<String, CommodityDelayStats> history;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.history = context.getStateStore(DelayAggregation.STATS_STORE);
    }

    @Override
    public void process(Record<String, CommodityDelayStats> record) {
        // a null value would be a tombstone, which ends a commodity's history; the aggregation writes none
        if (record.key() != null && record.value() != null) {
            history.put(record.key(), record.value(), record.timestamp());
        }
    }
}
