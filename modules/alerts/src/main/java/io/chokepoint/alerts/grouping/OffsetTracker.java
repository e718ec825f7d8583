package io.chokepoint.alerts.grouping;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which offsets may be committed: per partition, everything below the oldest record that still
 * waits for a delivery. Records finish out of order (one receiver is slow, another fast), so the
 * committable offset is the lowest unfinished one, never simply the latest finished.
 */
public final class OffsetTracker {

    private final Map<TopicPartition, TreeMap<Long, DeliveryTicket>> open = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private int openCount;

    public DeliveryTicket register(TopicPartition tp, long offset, long timestamp) {
        DeliveryTicket ticket = new DeliveryTicket(tp, offset, timestamp);
        open.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, ticket);
        next.merge(tp, offset + 1, Math::max);
        openCount++;
        return ticket;
    }

    /** Call after the ticket changed; removes it once done. */
    public void update(DeliveryTicket ticket) {
        if (ticket.abandoned() || !ticket.done()) {
            return;
        }
        TreeMap<Long, DeliveryTicket> tickets = open.get(ticket.partition());
        if (tickets != null && tickets.remove(ticket.offset()) != null) {
            openCount--;
        }
    }

    /** Offsets that moved since the last call to {@link #markCommitted}. */
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        next.forEach((tp, nextOffset) -> {
            TreeMap<Long, DeliveryTicket> tickets = open.get(tp);
            long safe = tickets == null || tickets.isEmpty() ? nextOffset : tickets.firstKey();
            if (!Long.valueOf(safe).equals(committed.get(tp))) {
                out.put(tp, new OffsetAndMetadata(safe));
            }
        });
        return out;
    }

    public void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }

    public void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TreeMap<Long, DeliveryTicket> tickets = open.remove(tp);
            if (tickets != null) {
                tickets.values().forEach(DeliveryTicket::abandon);
                openCount -= tickets.size();
            }
            next.remove(tp);
            committed.remove(tp);
        }
    }

    /** Records consumed but not yet finished, for back-pressure. */
    public int openRecords() {
        return openCount;
    }
}
