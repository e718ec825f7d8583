package io.chokepoint.rules.evaluation;

import java.nio.ByteBuffer;

/**
 * {@link DetectorState} in the evaluator's binary state form, the baseline as raw doubles: a
 * detector carries hundreds of baseline values, and printing and parsing them as decimal text was
 * a fifth of a backtest.
 */
public final class DetectorStateSerde extends BinaryStateSerde<DetectorState> {

    private static final DetectorStateSerde INSTANCE = new DetectorStateSerde();

    public DetectorStateSerde() {
        super(DetectorState.class, false);
    }

    static byte[] write(DetectorState s) {
        return INSTANCE.serializer().serialize(null, s);
    }

    static DetectorState read(byte[] bytes) {
        return INSTANCE.deserializer().deserialize(null, bytes);
    }

    @Override
    void write(Out out, DetectorState s) {
        out.putString(s.settings()).putLong(s.slot()).putLong(s.learningSince()).putInt(s.baseline().length);
        for (double v : s.baseline()) {
            out.putDouble(v);
        }
        out.putDouble(s.upper()).putDouble(s.lower()).putLong(s.upperSince()).putLong(s.lowerSince()).putDouble(s.ewma())
                .putLong(s.ewmaSince()).putLong(s.at()).putDouble(s.value()).putDouble(s.median()).putDouble(s.spread())
                .putLong(s.baselineAt()).putDouble(s.score());
    }

    @Override
    DetectorState read(ByteBuffer b) {
        String settings = getString(b);
        long slot = b.getLong();
        long learningSince = b.getLong();
        int size = b.getInt();
        if (size < 0 || size > b.remaining() / Double.BYTES) {
            throw new java.nio.BufferUnderflowException();
        }
        double[] baseline = new double[size];
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = b.getDouble();
        }
        return new DetectorState(settings, slot, learningSince, baseline, b.getDouble(), b.getDouble(), b.getLong(),
                b.getLong(), b.getDouble(), b.getLong(), b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getLong(), b.getDouble());
    }
}
