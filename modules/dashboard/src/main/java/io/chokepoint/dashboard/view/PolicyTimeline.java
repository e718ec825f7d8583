package io.chokepoint.dashboard.view;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The latest policy events (tariff changes, licence decisions) as the dashboard shows them: the
 * feed and the markers on a commodity's chart. Bounded to the {@code kept} most recent by event
 * time; the topics stay the record of everything.
 */
public final class PolicyTimeline {

    /** A policy event and its JSON view. */
    public record PolicyEvent(String hsCode, Instant at, ObjectNode json) {
    }

    private final int kept;
    private final ArrayDeque<PolicyEvent> events = new ArrayDeque<>();

    public PolicyTimeline(int kept) {
        this.kept = kept;
    }

    /** Adds an event in event-time order (late events slot in); false when it is older than everything kept. */
    public synchronized boolean add(PolicyEvent event) {
        if (events.size() >= kept && event.at().isBefore(events.peekFirst().at())) {
            return false;
        }
        if (events.isEmpty() || !event.at().isBefore(events.peekLast().at())) {
            events.addLast(event);
        } else {
            List<PolicyEvent> later = new ArrayList<>();
            while (!events.isEmpty() && event.at().isBefore(events.peekLast().at())) {
                later.add(0, events.removeLast());
            }
            events.addLast(event);
            events.addAll(later);
        }
        if (events.size() > kept) {
            events.removeFirst();
        }
        return true;
    }

    /** Events at or after {@code since}, of one commodity or all ({@code hsCode} null), newest first, at most {@code limit}. */
    public synchronized List<PolicyEvent> since(String hsCode, Instant since, int limit) {
        List<PolicyEvent> out = new ArrayList<>();
        for (Iterator<PolicyEvent> it = events.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            PolicyEvent e = it.next();
            if (e.at().isBefore(since)) {
                break;
            }
            if (hsCode == null || hsCode.equals(e.hsCode())) {
                out.add(e);
            }
        }
        return out;
    }
}
