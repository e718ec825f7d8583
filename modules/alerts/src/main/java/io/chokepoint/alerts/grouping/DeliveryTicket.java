package io.chokepoint.alerts.grouping;

import org.apache.kafka.common.TopicPartition;

/**
 * One consumed alert record and the number of receiver deliveries it still waits for. Its
 * offset becomes committable when that number reaches zero (delivered, dead-lettered or muted
 * for every matching receiver). Touched only by the dispatcher's consumer thread.
 */
public final class DeliveryTicket {

    private final TopicPartition partition;
    private final long offset;
    private final long recordTimestamp;
    private int outstanding;
    private boolean sealed;
    private boolean abandoned;

    public DeliveryTicket(TopicPartition partition, long offset, long recordTimestamp) {
        this.partition = partition;
        this.offset = offset;
        this.recordTimestamp = recordTimestamp;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long recordTimestamp() {
        return recordTimestamp;
    }

    public void expect(int deliveries) {
        outstanding += deliveries;
    }

    /** No more deliveries will be added; the ticket is done once the outstanding ones finish. */
    public void seal() {
        sealed = true;
    }

    public void completeOne() {
        outstanding--;
    }

    public boolean done() {
        return sealed && outstanding <= 0;
    }

    /** The partition was revoked: the new owner replays the record, so completions no longer count. */
    public void abandon() {
        abandoned = true;
    }

    public boolean abandoned() {
        return abandoned;
    }
}
