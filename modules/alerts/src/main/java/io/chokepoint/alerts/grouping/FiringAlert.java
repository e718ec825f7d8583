package io.chokepoint.alerts.grouping;

import org.apache.kafka.common.TopicPartition;

/**
 * An alert of a group that is still firing, with the partition of the alerts topic its record
 * came from: the instance that owns that partition owns the alert's reminders.
 */
public record FiringAlert(PendingAlert alert, TopicPartition partition) {
}
