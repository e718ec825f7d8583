package io.chokepoint.rules.evaluation;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary form of {@link DetectorState}: a version byte, then the fields in order, the baseline as
 * raw doubles. The other rule stores are JSON; a detector carries hundreds of baseline values,
 * and printing and parsing them as decimal text was a fifth of a backtest.
 */
public final class DetectorStateSerde implements Serde<DetectorState> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<DetectorState> serializer() {
        return (topic, s) -> s == null ? null : write(s);
    }

    @Override
    public Deserializer<DetectorState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(DetectorState s) {
        byte[] settings = s.settings().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + settings.length + 8 + 8 + 4 + 8 * s.baseline().length + 8 * 14);
        b.put(VERSION).putInt(settings.length).put(settings).putLong(s.slot()).putLong(s.learningSince()).putInt(s.baseline().length);
        for (double v : s.baseline()) {
            b.putDouble(v);
        }
        b.putDouble(s.upper()).putDouble(s.lower()).putLong(s.upperSince()).putLong(s.lowerSince()).putDouble(s.ewma())
                .putLong(s.ewmaSince()).putLong(s.at()).putDouble(s.value()).putDouble(s.median()).putDouble(s.spread())
                .putLong(s.baselineAt()).putDouble(s.score());
        return b.array();
    }

    static DetectorState read(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new SerializationException("detector state of unknown version " + version + " (this build writes " + VERSION + ")");
        }
        byte[] settings = new byte[b.getInt()];
        b.get(settings);
        long slot = b.getLong();
        long learningSince = b.getLong();
        double[] baseline = new double[b.getInt()];
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = b.getDouble();
        }
        return new DetectorState(new String(settings, StandardCharsets.UTF_8), slot, learningSince, baseline, b.getDouble(), b.getDouble(), b.getLong(),
                b.getLong(), b.getDouble(), b.getLong(), b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getLong(), b.getDouble());
    }
}
