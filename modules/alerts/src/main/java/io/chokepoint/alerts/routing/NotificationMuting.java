package io.chokepoint.alerts.routing;

import io.chokepoint.events.avro.AlertState;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Alertmanager's rule for muting, per receiver: silences and inhibition mute new FIRING noise
 * (and reminders), never the all-clear. A RESOLVED reaches every receiver that was told of its
 * FIRING, whatever is silenced or inhibited by then; a RESOLVED whose FIRING was muted for a
 * receiver stays muted for it, since that receiver never had the alert open.
 *
 * <p>What each receiver was told is kept here while the alert is open and, for muted FIRINGs,
 * also in the delivery progress topic ({@code firingMutedBefore}), so a dispatcher that restarts
 * between the FIRING and the RESOLVED still mutes the RESOLVED. A RESOLVED of a FIRING nobody
 * knows of (consumed before {@code alerts.start.from=latest}, or older than the progress topic's
 * retention) is sent: a superfluous all-clear is harmless, a lost one keeps an alert open for ever.
 * Not thread-safe: the dispatcher's consumer thread owns it.
 */
public final class NotificationMuting {

    /** Why a transition was muted; also the label value of {@code chokepoint_alerts_muted_total}. */
    public enum Reason {
        SILENCED, INHIBITED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Predicate<Map<String, String>> silenced;
    private final Inhibitor inhibitor;
    private final BiFunction<String, String, Optional<Reason>> firingMutedBefore;
    /** receiver|alertId → the fate of the FIRING: empty = told, else why it was muted. */
    private final Map<String, Optional<Reason>> firingFate = new HashMap<>();

    /**
     * @param firingMutedBefore (receiver, alertId) → why its FIRING was muted for the receiver, as
     *                          recorded in the delivery progress by an earlier run; empty if not muted
     */
    public NotificationMuting(Predicate<Map<String, String>> silenced, Inhibitor inhibitor,
                              BiFunction<String, String, Optional<Reason>> firingMutedBefore) {
        this.silenced = silenced;
        this.inhibitor = inhibitor;
        this.firingMutedBefore = firingMutedBefore;
    }

    /**
     * Decides one transition for one receiver, in the order the group sends them, and remembers the
     * outcome: the reason it is muted, or empty if it goes to the receiver.
     *
     * @param reminder a repeat_interval reminder (muted like new noise, but it records no fate
     *                 unless it actually tells the receiver)
     */
    public Optional<Reason> decide(String receiver, String alertId, AlertState state, Map<String, String> labels, boolean reminder) {
        String key = receiver + "|" + alertId;
        if (state == AlertState.RESOLVED) {
            Optional<Reason> fate = firingFate.remove(key);
            return fate != null ? fate : firingMutedBefore.apply(receiver, alertId);
        }
        Optional<Reason> reason = silenced.test(labels) ? Optional.of(Reason.SILENCED)
                : inhibitor.inhibited(alertId, labels) ? Optional.of(Reason.INHIBITED) : Optional.empty();
        if (reason.isEmpty()) {
            firingFate.put(key, Optional.empty());
        } else if (!reminder) {
            // a receiver told once (by an earlier FIRING or a reminder) stays told
            firingFate.putIfAbsent(key, reason);
        }
        return reason;
    }

    /** Open alerts whose fate is remembered, for tests. */
    int remembered() {
        return firingFate.size();
    }
}
