package io.chokepoint.rules.evaluation;

import java.nio.ByteBuffer;

/** {@link Episode}, written on every evaluation of a pending or firing rule × commodity. */
public final class EpisodeSerde extends BinaryStateSerde<Episode> {

    public EpisodeSerde() {
        super(Episode.class, true);
    }

    @Override
    void write(Out out, Episode e) {
        out.putNullable(e.phase() == null ? null : e.phase().name()).putLong(e.episodeStart()).putInt(e.holdCount())
                .putLong(e.firingSince()).putLong(e.clearedSince()).putInt(e.clearedCount()).putLong(e.lastEvaluatedAt())
                .putDouble(e.lastValue()).putNullable(e.metric()).putNullable(e.comparison()).putNullable(e.ruleFingerprint())
                .putNullable(e.alertId());
    }

    @Override
    Episode read(ByteBuffer in) {
        String phase = getNullableString(in);
        return new Episode(phase == null ? null : Episode.Phase.valueOf(phase), in.getLong(), in.getInt(), in.getLong(), in.getLong(),
                in.getInt(), in.getLong(), in.getDouble(), getNullableString(in), getNullableString(in), getNullableString(in),
                getNullableString(in));
    }
}
