package io.chokepoint.alerts.grouping;

import io.chokepoint.alerts.routing.Route;

import java.util.List;
import java.util.Map;

/**
 * A group is due: these alerts go to the route's receivers now.
 *
 * @param repeat true for a repeat_interval reminder of still-firing alerts
 * @param firing every alert of the group still firing after this flush, whose reminder clock
 *               restarts at {@code at}
 */
public record GroupFlush(Route route, String groupKey, Map<String, String> groupLabels, List<PendingAlert> alerts,
                         boolean repeat, long at, List<FiringAlert> firing) {
}
