package io.chokepoint.events;

import io.chokepoint.events.config.ChokepointConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long Kafka keeps a topic's records, in Kafka's own terms: {@code retention.ms} (age, judged
 * by each record's timestamp) and {@code retention.bytes} (size per partition), -1 meaning no limit.
 *
 * <p>Kafka deletes whole segments, so a partition bounded by size holds up to its bound plus one
 * segment; with the default 1 GiB segments a 256 MiB bound would hold 1.25 GiB. A size bound
 * therefore comes with segments of a quarter of it: a partition holds between the bound and 1.25 times it.
 */
public record Retention(long ms, long bytes) {

    private static final long NO_LIMIT = -1;
    private static final int SEGMENTS_PER_BOUND = 4;

    public static final Retention UNLIMITED = new Retention(NO_LIMIT, NO_LIMIT);

    public static Retention byAge(Duration age) {
        return new Retention(age.toMillis(), NO_LIMIT);
    }

    public static Retention bySize(long bytesPerPartition) {
        return new Retention(NO_LIMIT, bytesPerPartition);
    }

    /** Topic-level configs: both limits always, so a broker's own defaults never apply. */
    Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("retention.ms", Long.toString(ms));
        configs.put("retention.bytes", Long.toString(bytes));
        if (bytes != NO_LIMIT) {
            configs.put("segment.bytes", Long.toString(bytes / SEGMENTS_PER_BOUND));
        }
        return configs;
    }

    /** As {@code topics create} prints it: {@code unlimited}, {@code 30d}, {@code 256 MiB per partition}. */
    @Override
    public String toString() {
        String age = ms == NO_LIMIT ? null : ChokepointConfig.formatDuration(Duration.ofMillis(ms));
        String size = bytes == NO_LIMIT ? null
                : bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB per partition" : (bytes >> 20) + " MiB per partition";
        if (age != null && size != null) {
            return age + " or " + size;
        }
        return age != null ? age : size != null ? size : "unlimited";
    }
}
