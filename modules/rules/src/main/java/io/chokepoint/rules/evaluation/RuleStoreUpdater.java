package io.chokepoint.rules.evaluation;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global rules store equal to the compacted {@code alert-rules} topic: a value is the
 * rule's document, a tombstone deletes it. Rules are kept as text and parsed by {@link RuleBook},
 * so an invalid record cannot break the global thread.
 */
final class RuleStoreUpdater implements Processor<String, String, Void, Void> {

    private KeyValueStore<String, String> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(RuleTopology.RULES_STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
