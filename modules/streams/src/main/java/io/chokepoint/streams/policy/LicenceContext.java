package io.chokepoint.streams.policy;

import org.apache.kafka.streams.KeyValue;

import java.util.Iterator;

/**
 * The licence context of one window: the decisions of the window's panes, plus when the latest
 * approval before the window's end happened. A licence stall shows less as refusals than as
 * applications left PENDING and approvals that stop coming, so both are part of the context; an
 * approval rate over the few decisions that were made ("1 of 1 approved") says nothing on its own.
 *
 * @param lastApprovalAt end of the latest pane (at most the window end) with an approval, or null
 *                       when the panes on record (the licence store's retention) hold none
 * @param lastDecisionPane start of the window's newest pane holding a decision (approved, denied,
 *                         revoked), or null: the commodity's own licence evidence time
 */
public record LicenceContext(LicenceTally window, Long lastApprovalAt, Long lastDecisionPane) {

    /**
     * @param newestFirst licence tallies keyed by pane start, newest first, from the window's last
     *                    pane back as far as the store keeps them; read only until the window is
     *                    summed and an approval was found (only panes with decisions exist)
     * @param paneSize    the window advance (the length of one pane)
     */
    public static LicenceContext of(Iterator<KeyValue<Long, LicenceTally>> newestFirst, long windowStart, long windowEnd, long paneSize) {
        LicenceTally window = LicenceTally.EMPTY;
        Long lastApproval = null;
        Long lastDecision = null;
        while (newestFirst.hasNext()) {
            KeyValue<Long, LicenceTally> pane = newestFirst.next();
            if (pane.key >= windowEnd) {
                continue;
            }
            boolean inWindow = pane.key >= windowStart;
            if (inWindow) {
                window = window.plus(pane.value);
                if (lastDecision == null && pane.value.decided() > 0) {
                    lastDecision = pane.key;
                }
            }
            if (lastApproval == null && pane.value.approved() > 0) {
                lastApproval = Math.min(pane.key + paneSize, windowEnd);
            }
            if (!inWindow && lastApproval != null) {
                break;
            }
        }
        return new LicenceContext(window, lastApproval, lastDecision);
    }

    /** The same window with the latest approval found elsewhere (the newest approval before the window end). */
    public LicenceContext withLastApprovalAt(Long at) {
        return new LicenceContext(window, at, lastDecisionPane);
    }
}
