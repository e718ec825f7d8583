package io.chokepoint.streams;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The watermark of one task: stream time (the highest event time seen, restored from the
 * committed partition time after a restart) or — on a partition that has gone quiet — stream
 * time moved on by the wall-clock time spent waiting. Stream time alone never closes the windows
 * of a quiet partition. The wall-clock part is persisted so finals stay final across restarts.
 */
final class TaskClock {

    static final String WATERMARK_KEY = "wall-watermark";

    private final KeyValueStore<String, Long> store;
    private long streamTime = Long.MIN_VALUE;
    private long wallWatermark;
    private long wallAtLastRecord;

    TaskClock(KeyValueStore<String, Long> store, long now) {
        this.store = store;
        Long persisted = store.get(WATERMARK_KEY);
        this.wallWatermark = persisted == null ? Long.MIN_VALUE : persisted;
        this.wallAtLastRecord = now;
    }

    void onRecord(long timestamp, long taskStreamTime, long now) {
        wallAtLastRecord = now;
        streamTime = Math.max(streamTime, Math.max(timestamp, taskStreamTime));
    }

    /** Moves a quiet task's watermark on by the wall-clock time since its last record; true if it moved. */
    boolean onWallClock(long now, long taskStreamTime) {
        if (streamTime == Long.MIN_VALUE) {
            if (taskStreamTime < 0) {
                return false; // nothing seen yet: there is no time to move on
            }
            streamTime = taskStreamTime;
        }
        long quietFor = Math.max(0, now - wallAtLastRecord);
        long extrapolated = streamTime + quietFor;
        if (quietFor > 0 && extrapolated > wallWatermark) {
            wallWatermark = extrapolated;
            store.put(WATERMARK_KEY, wallWatermark);
            return true;
        }
        return false;
    }

    long watermark() {
        return Math.max(streamTime, wallWatermark);
    }
}
