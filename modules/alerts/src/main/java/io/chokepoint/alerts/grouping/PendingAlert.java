package io.chokepoint.alerts.grouping;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.events.avro.DisruptionAlert;

import java.util.Map;
import java.util.Set;

/**
 * An alert transition waiting in a group, with the receivers of its route that still need it
 * (receivers that already got it before a restart are left out) and the ticket of its record.
 * The ticket is null for repeat reminders, which no record waits for.
 */
public record PendingAlert(DisruptionAlert alert, Map<String, String> labels, Set<String> receivers, DeliveryTicket ticket) {

    public String key() {
        return AlertLabels.transitionKey(alert);
    }
}
