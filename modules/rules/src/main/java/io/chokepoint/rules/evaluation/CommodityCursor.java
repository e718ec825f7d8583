package io.chokepoint.rules.evaluation;

/**
 * Per commodity: the newest stats window evaluated (older ones are ignored), when its stats were
 * last seen by the wall clock (to close alerts of commodities that went quiet), and the snapshot
 * that explains alerts closed without a new stats record.
 */
public record CommodityCursor(long newestWindowEnd, long lastSeenWallMs, StatsSnapshot latest) {
}
