package io.chokepoint.streams.policy;

import java.util.Map;
import java.util.NavigableMap;

/**
 * The licence context of one window: the decisions of the window's panes, plus when the latest
 * approval before the window's end happened. A licence stall shows less as refusals than as
 * applications left PENDING and approvals that stop coming, so both are part of the context; an
 * approval rate over the few decisions that were made ("1 of 1 approved") says nothing on its own.
 *
 * @param lastApprovalAt end of the latest pane (at most the window end) with an approval, or null
 *                       when the panes on record (the licence store's retention) hold none
 */
public record LicenceContext(LicenceTally window, Long lastApprovalAt) {

    /**
     * @param panes    licence tallies by pane start, covering at least the window and, for the last
     *                 approval, as far back as the store keeps them
     * @param paneSize the window advance (the length of one pane)
     */
    public static LicenceContext of(NavigableMap<Long, LicenceTally> panes, long windowStart, long windowEnd, long paneSize) {
        LicenceTally window = LicenceTally.EMPTY;
        for (LicenceTally t : panes.subMap(windowStart, true, windowEnd, false).values()) {
            window = window.plus(t);
        }
        Long lastApproval = null;
        for (Map.Entry<Long, LicenceTally> pane : panes.headMap(windowEnd, false).descendingMap().entrySet()) {
            if (pane.getValue().approved() > 0) {
                lastApproval = Math.min(pane.getKey() + paneSize, windowEnd);
                break;
            }
        }
        return new LicenceContext(window, lastApproval);
    }
}
