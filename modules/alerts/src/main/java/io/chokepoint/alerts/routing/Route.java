package io.chokepoint.alerts.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node of the routing tree. Children inherit receivers and grouping settings unless they set
 * their own. An alert descends into the first matching child, and also into later siblings while
 * the matched child has {@code continue: true}; a node no child takes is the match itself.
 *
 * @param id        position in the tree ("0", "0.2", "0.2.1"), part of every group key
 * @param groupBy   label names; the single name "..." groups by all labels (no grouping)
 */
public record Route(
        String id,
        List<LabelMatcher> matchers,
        List<String> receivers,
        boolean continueMatching,
        List<String> groupBy,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        List<Route> routes) {

    public static final String GROUP_BY_ALL = "...";

    public boolean matchesItself(Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The routes (leaves of the descent) that take an alert, root first when none is more specific. */
    public List<Route> match(Map<String, String> labels) {
        List<Route> out = new ArrayList<>();
        if (!matchesItself(labels)) {
            return out;
        }
        for (Route child : routes) {
            List<Route> taken = child.match(labels);
            if (!taken.isEmpty()) {
                out.addAll(taken);
                if (!child.continueMatching) {
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            out.add(this);
        }
        return out;
    }

    /** {@code group_by: ['...']}: every alert (every episode) is its own group. */
    public boolean groupsEachAlertAlone() {
        return groupBy.contains(GROUP_BY_ALL);
    }

    /** The labels that name an alert's group on this route. */
    public Map<String, String> groupLabels(Map<String, String> labels) {
        Map<String, String> group = new TreeMap<>();
        if (groupBy.contains(GROUP_BY_ALL)) {
            group.putAll(labels);
            return group;
        }
        for (String name : groupBy) {
            group.put(name, labels.getOrDefault(name, ""));
        }
        return group;
    }
}
