package io.chokepoint.streams.dlq;

/**
 * The value a source of the delay aggregation hands on for a record it cannot read (not Avro, an
 * unknown schema id, another event type), instead of failing in the deserializer. The first
 * processor rejects it with an {@link UnreadableRecordException}, so it is dead-lettered while the
 * record is processed, in the same transaction as its input offset (see {@link TolerantDeserializer}).
 *
 * @param failure why the record could not be read
 */
public record UnreadableRecord(RuntimeException failure) {

    /** What the first processor throws for this record. */
    public UnreadableRecordException rejection() {
        return new UnreadableRecordException(failure);
    }
}
