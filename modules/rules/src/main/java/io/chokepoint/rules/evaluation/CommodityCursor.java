package io.chokepoint.rules.evaluation;

/**
 * Per commodity: the newest live view evaluated (its as-of time; older ones are ignored), the
 * newest final window evaluated, the commodity's own newest fact (for quiet handling), when its
 * stats were last seen by the wall clock (to close alerts when a whole stream stops), and the
 * snapshot that explains alerts closed without a new stats record.
 *
 * @param newestLiveAt    as-of time of the newest live view evaluated, or {@link Long#MIN_VALUE}
 * @param newestWindowEnd end of the newest final window evaluated, or {@link Long#MIN_VALUE}
 * @param lastEventAt     the commodity's newest fact seen in any of its stats, or {@link Long#MIN_VALUE}
 */
public record CommodityCursor(long newestLiveAt, long newestWindowEnd, long lastEventAt, long lastSeenWallMs, StatsSnapshot latest) {

    /** Time of the newest record of this kind already evaluated. */
    long newest(boolean isFinal) {
        return isFinal ? newestWindowEnd : newestLiveAt;
    }

    /** The evaluation time reached in either stream: the commodity's "now". */
    long now() {
        return Math.max(newestLiveAt, newestWindowEnd);
    }
}
