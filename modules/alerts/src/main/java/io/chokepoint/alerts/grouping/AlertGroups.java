package io.chokepoint.alerts.grouping;

import io.chokepoint.alerts.routing.Route;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Alertmanager's grouping, driven by an explicit clock so it can be tested without sleeping.
 * A new group waits {@code group_wait} before its first notification (to collect alerts that
 * arrive together); afterwards new transitions are batched and sent at most every
 * {@code group_interval}; a group whose alerts are still firing and that sent nothing for
 * {@code repeat_interval} sends a reminder. A group with nothing pending and nothing firing is
 * forgotten, so the next alert starts a fresh group with a fresh {@code group_wait}.
 *
 * <p>Each notification carries the transitions (FIRING or RESOLVED) that are new since the
 * group's previous one, so a record is delivered once per receiver; reminders carry the
 * still-firing alerts. Not thread-safe: the dispatcher's consumer thread owns it.
 *
 * <p>Groups wait in a queue ordered by when they are next due, so {@link #due} visits only the
 * groups it flushes: with one group per alert ({@code group_by: ['...']}) a scan of every group
 * after every poll was what bounded delivery (tens of thousands of firing groups, each waiting
 * only for its reminder).
 */
public final class AlertGroups {

    private final Map<String, Group> groups = new LinkedHashMap<>();
    /** (due time, group) entries; an entry whose time is no longer its group's {@code dueAt} is stale and skipped. */
    private final PriorityQueue<Due> schedule = new PriorityQueue<>(Comparator.comparingLong(Due::at));

    private record Due(long at, Group group) {
    }

    private static final class Group {
        final Route route;
        final String key;
        final Map<String, String> labels;
        final List<PendingAlert> pending = new ArrayList<>();
        final Map<String, FiringAlert> firing = new LinkedHashMap<>();
        long nextFlushAt;
        long lastNotifiedAt = -1;
        /** Reminders count from here: the last notification, by this instance or (restored) by the previous owner. */
        long remindFrom = -1;
        /** When the group is next due (a batch or a reminder), as queued in {@link #schedule}; -1 when it waits for nothing. */
        long dueAt = -1;
        boolean forgotten;

        Group(Route route, String key, Map<String, String> labels, long nextFlushAt) {
            this.route = route;
            this.key = key;
            this.labels = labels;
            this.nextFlushAt = nextFlushAt;
        }

        boolean flushedBefore() {
            return lastNotifiedAt >= 0;
        }

        long nextDue() {
            if (!pending.isEmpty()) {
                return nextFlushAt;
            }
            return !firing.isEmpty() && remindFrom >= 0 ? remindFrom + route.repeatInterval().toMillis() : -1;
        }
    }

    /** Queues the group at its next due time, or forgets it when it holds nothing. */
    private void reschedule(Group g) {
        if (g.pending.isEmpty() && g.firing.isEmpty()) {
            g.forgotten = true;
            g.dueAt = -1;
            groups.remove(g.key, g);
            return;
        }
        long at = g.nextDue();
        if (at != g.dueAt) {
            g.dueAt = at;
            if (at >= 0) {
                schedule.add(new Due(at, g));
            }
        }
    }

    public static String groupKey(Route route, Map<String, String> groupLabels) {
        StringBuilder sb = new StringBuilder("{route=").append(route.id()).append("}:{");
        groupLabels.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    private static String groupKey(Route route, Map<String, String> groupLabels, PendingAlert alert) {
        String key = groupKey(route, groupLabels);
        // successive episodes of one rule and commodity carry the same labels; '...' still keeps them apart
        return route.groupsEachAlertAlone() ? key + ":{fingerprint=\"" + alert.alert().getAlertId() + "\"}" : key;
    }

    public void add(Route route, PendingAlert alert, long now) {
        Map<String, String> groupLabels = route.groupLabels(alert.labels());
        String key = groupKey(route, groupLabels, alert);
        Group group = groups.computeIfAbsent(key, k -> new Group(route, k, groupLabels, now + route.groupWait().toMillis()));
        if (group.pending.isEmpty() && group.flushedBefore()) {
            // an idle group sends the next batch one group_interval after its last notification
            group.nextFlushAt = Math.max(now, group.lastNotifiedAt + route.groupInterval().toMillis());
        }
        group.pending.add(alert);
        DisruptionAlert a = alert.alert();
        if (a.getState() == AlertState.FIRING) {
            group.firing.put(a.getAlertId(), new FiringAlert(new PendingAlert(a, alert.labels(), alert.receivers(), null),
                    alert.ticket().partition()));
        } else {
            group.firing.remove(a.getAlertId());
        }
        reschedule(group);
    }

    /**
     * An alert still firing when the previous owner of its partition stopped, as it recorded it:
     * no notification is due for it, but its group's reminders go on from {@code notifiedAt}, the
     * last time the group was notified.
     */
    public void restore(Route route, FiringAlert alert, long notifiedAt) {
        Map<String, String> groupLabels = route.groupLabels(alert.alert().labels());
        String key = groupKey(route, groupLabels, alert.alert());
        Group group = groups.computeIfAbsent(key, k -> new Group(route, k, groupLabels, notifiedAt + route.groupWait().toMillis()));
        group.firing.putIfAbsent(alert.alert().alert().getAlertId(), alert);
        // only the reminder clock: a replayed record of an interrupted notification must not wait group_interval
        group.remindFrom = Math.max(group.remindFrom, notifiedAt);
        reschedule(group);
    }

    /** The groups due at {@code now}; call often (the dispatcher calls it after every poll). */
    public List<GroupFlush> due(long now) {
        List<GroupFlush> out = new ArrayList<>();
        while (!schedule.isEmpty() && schedule.peek().at() <= now) {
            Due d = schedule.poll();
            Group g = d.group();
            if (g.forgotten || g.dueAt != d.at()) {
                continue;
            }
            g.dueAt = -1;
            if (!g.pending.isEmpty()) {
                out.add(new GroupFlush(g.route, g.key, g.labels, List.copyOf(g.pending), false, now, List.copyOf(g.firing.values())));
                g.pending.clear();
            } else {
                List<FiringAlert> firing = List.copyOf(g.firing.values());
                out.add(new GroupFlush(g.route, g.key, g.labels, firing.stream().map(FiringAlert::alert).toList(), true, now, firing));
            }
            g.lastNotifiedAt = now;
            g.remindFrom = now;
            reschedule(g);
        }
        return out;
    }

    /**
     * Forget the alerts of revoked partitions: their new owner replays the pending records and
     * restores the firing alerts, with their reminders, from what this instance recorded.
     */
    public void dropPartitions(Collection<TopicPartition> partitions) {
        for (Group g : List.copyOf(groups.values())) {
            g.pending.removeIf(p -> p.ticket() != null && partitions.contains(p.ticket().partition()));
            g.firing.values().removeIf(f -> partitions.contains(f.partition()));
            reschedule(g);
        }
    }

    public int groupCount() {
        return groups.size();
    }
}
