package io.chokepoint.dashboard.view;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code disruption-alerts} topic says now: the alerts firing (by alert id; a RESOLVED
 * ends its episode) and the most recent resolutions, at most {@code resolvedKept}. Redelivered
 * transitions change nothing (ids are deterministic), so reading the topic again is harmless.
 */
public final class AlertBoard {

    private final int resolvedKept;
    private final Map<String, DisruptionAlert> firing = new LinkedHashMap<>();
    private final ArrayDeque<DisruptionAlert> resolved = new ArrayDeque<>();

    public AlertBoard(int resolvedKept) {
        this.resolvedKept = resolvedKept;
    }

    /** Applies one transition; true when it changed the board (not a redelivery). */
    public synchronized boolean apply(DisruptionAlert alert) {
        if (alert.getState() == AlertState.FIRING) {
            return firing.put(alert.getAlertId(), alert) == null;
        }
        if (alert.getState() == AlertState.RESOLVED) {
            boolean wasFiring = firing.remove(alert.getAlertId()) != null;
            for (DisruptionAlert r : resolved) {
                if (r.getAlertId().equals(alert.getAlertId())) {
                    return wasFiring;
                }
            }
            resolved.addFirst(alert);
            if (resolved.size() > resolvedKept) {
                resolved.removeLast();
            }
            return true;
        }
        return false;
    }

    /** Firing alerts whose transition happened at or after {@code since}, newest first. */
    public synchronized List<DisruptionAlert> firing(Instant since) {
        List<DisruptionAlert> out = new ArrayList<>();
        for (DisruptionAlert a : firing.values()) {
            if (!a.getEventAt().isBefore(since)) {
                out.add(a);
            }
        }
        out.sort((a, b) -> b.getEventAt().compareTo(a.getEventAt()));
        return out;
    }

    public synchronized List<DisruptionAlert> resolved(Instant since) {
        List<DisruptionAlert> out = new ArrayList<>();
        for (Iterator<DisruptionAlert> it = resolved.iterator(); it.hasNext(); ) {
            DisruptionAlert a = it.next();
            if (!a.getEventAt().isBefore(since)) {
                out.add(a);
            }
        }
        out.sort((a, b) -> b.getEventAt().compareTo(a.getEventAt()));
        return out;
    }

    /** Firing alerts by commodity, for the commodity rows. */
    public synchronized Map<String, List<DisruptionAlert>> firingByCommodity() {
        Map<String, List<DisruptionAlert>> by = new LinkedHashMap<>();
        firing.values().forEach(a -> by.computeIfAbsent(a.getHsCode(), k -> new ArrayList<>()).add(a));
        return by;
    }
}
