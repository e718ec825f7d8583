package io.chokepoint.streams.window;

import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A DDSketch of delays in hours with a bounded store and integer bin counts, so sketches can be
 * subtracted as well as merged: a sliding window adds its newest pane and deducts its oldest
 * instead of re-merging every pane. Quantiles are within 1 % relative error (DDSketch's
 * logarithmic index mapping); delays below {@link #ZERO_HOURS} in magnitude count as zero and
 * delays beyond {@link #MAX_HOURS} are clamped for the quantiles only (min, max and mean stay
 * exact elsewhere). That caps each sign's store at about 920 bins, whatever the input.
 */
public final class DelaySketch {

    public static final double RELATIVE_ACCURACY = 0.01;
    /** 3.6 s: shorter delays are reported as 0 (an absolute error far below anything a quantile is read for). */
    public static final double ZERO_HOURS = 0.001;
    /** About 11 years. */
    public static final double MAX_HOURS = 100_000;

    private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);
    private static final int MIN_INDEX = MAPPING.index(ZERO_HOURS);
    private static final int MAX_INDEX = MAPPING.index(MAX_HOURS);

    private final Bins positive = new Bins();
    private final Bins negative = new Bins();
    private long zeroCount;

    public void add(double hours) {
        add(hours, 1);
    }

    /** Adds {@code count} observations of {@code hours} (a negative count removes them). */
    void add(double hours, long count) {
        double magnitude = Math.abs(hours);
        if (magnitude < ZERO_HOURS) {
            zeroCount += count;
            return;
        }
        int index = Math.min(MAPPING.index(magnitude), MAX_INDEX);
        (hours > 0 ? positive : negative).add(index, count);
    }

    public void merge(DelaySketch other) {
        combine(other, 1);
    }

    /** Removes another sketch's observations, which this one must contain. */
    public void subtract(DelaySketch other) {
        combine(other, -1);
    }

    private void combine(DelaySketch other, int sign) {
        zeroCount += sign * other.zeroCount;
        positive.combine(other.positive, sign);
        negative.combine(other.negative, sign);
    }

    public long count() {
        return zeroCount + positive.total() + negative.total();
    }

    /**
     * Delays at quantiles {@code qs} (0..1, ascending or not): the lower nearest rank, the value at
     * rank {@code floor(q * (n - 1))}, as DDSketch reports it; zeros when empty. One walk over the
     * bins for all of them, in rank order (a walk per quantile was a tenth of a backtest).
     */
    public double[] quantiles(double... qs) {
        double[] out = new double[qs.length];
        long n = count();
        if (n == 0) {
            return out;
        }
        long negatives = negative.total();
        // the most negative delays have the highest indexes: walk the negative bins downwards
        int neg = negative.counts.length - 1;
        long negBelowAndAt = negatives; // observations in negative bins 0..neg
        int pos = -1;
        long upToPos = negatives + zeroCount; // observations up to positive bin pos
        // the upper quantiles (p90, p99) are found from the top: a walk from the bottom crossed every bin
        long upperHalf = negatives + zeroCount + positive.total() / 2;
        int[] order = rankOrder(qs);
        for (int k : order) {
            double rank = qs[k] * (n - 1);
            if (rank < negatives) {
                // position from the least negative; the rank is floored first, as for the positive bins
                // (negatives - 1 - rank, unfloored, took the next rank: one too early)
                long reversed = negatives - 1 - (long) Math.floor(rank);
                while (neg > 0 && negBelowAndAt - negative.counts[neg] > reversed) {
                    negBelowAndAt -= negative.counts[neg];
                    neg--;
                }
                out[k] = -MAPPING.value(negative.offset + neg);
            } else if (rank < negatives + zeroCount) {
                out[k] = 0.0;
            } else if (rank < upperHalf) {
                while (pos < 0 || upToPos <= rank) {
                    if (++pos >= positive.counts.length) {
                        throw new IllegalStateException("sketch counts do not add up (rank " + rank + " of " + n + ")");
                    }
                    upToPos += positive.counts[pos];
                }
                out[k] = MAPPING.value(positive.offset + pos);
            }
        }
        // the bin of rank r is the highest whose observations at or above it number at least n - floor(r)
        int top = positive.counts.length;
        long fromTop = 0; // observations in positive bins top..
        for (int i = order.length - 1; i >= 0; i--) {
            int k = order[i];
            double rank = qs[k] * (n - 1);
            if (rank < upperHalf || rank < negatives + zeroCount) {
                break;
            }
            long needed = n - (long) Math.floor(rank);
            while (fromTop < needed) {
                if (--top < 0) {
                    throw new IllegalStateException("sketch counts do not add up (rank " + rank + " of " + n + ")");
                }
                fromTop += positive.counts[top];
            }
            out[k] = MAPPING.value(positive.offset + top);
        }
        return out;
    }

    /** Indexes of {@code qs} in ascending order of quantile (insertion sort: a handful of quantiles). */
    private static int[] rankOrder(double[] qs) {
        int[] order = new int[qs.length];
        for (int i = 0; i < qs.length; i++) {
            int j = i;
            while (j > 0 && qs[order[j - 1]] > qs[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    /** Stored form: zero count, then each sign's occupied index range and counts. */
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(zeroCount);
        positive.write(out);
        negative.write(out);
    }

    public static DelaySketch read(DataInputStream in) throws IOException {
        DelaySketch sketch = new DelaySketch();
        sketch.zeroCount = in.readLong();
        sketch.positive.read(in);
        sketch.negative.read(in);
        return sketch;
    }

    /** Bin counts over a contiguous index range that grows on demand within [MIN_INDEX, MAX_INDEX]. */
    private static final class Bins {
        private static final long[] EMPTY = new long[0];
        long[] counts = EMPTY;
        int offset;
        private long total;

        void add(int index, long count) {
            int i = Math.max(MIN_INDEX, index);
            ensure(i, i);
            counts[i - offset] += count;
            total += count;
        }

        void combine(Bins other, int sign) {
            if (other.counts.length == 0) {
                return;
            }
            ensure(other.offset, other.offset + other.counts.length - 1);
            for (int i = 0; i < other.counts.length; i++) {
                counts[other.offset + i - offset] += sign * other.counts[i];
            }
            total += sign * other.total;
        }

        long total() {
            return total;
        }

        private void ensure(int low, int high) {
            if (counts.length == 0) {
                counts = new long[high - low + 1];
                offset = low;
                return;
            }
            int currentHigh = offset + counts.length - 1;
            if (low >= offset && high <= currentHigh) {
                return;
            }
            int newLow = Math.min(low, offset);
            int newHigh = Math.max(high, currentHigh);
            long[] grown = new long[newHigh - newLow + 1];
            System.arraycopy(counts, 0, grown, offset - newLow, counts.length);
            counts = grown;
            offset = newLow;
        }

        void write(DataOutputStream out) throws IOException {
            int first = 0;
            int last = counts.length - 1;
            while (first <= last && counts[first] == 0) {
                first++;
            }
            while (last >= first && counts[last] == 0) {
                last--;
            }
            out.writeInt(offset + first);
            out.writeShort(Math.max(0, last - first + 1));
            for (int i = first; i <= last; i++) {
                writeVarLong(out, counts[i]);
            }
        }

        void read(DataInputStream in) throws IOException {
            int low = in.readInt();
            int length = in.readUnsignedShort();
            if (length == 0) {
                counts = EMPTY;
                total = 0;
                return;
            }
            if (length > MAX_INDEX - MIN_INDEX + 1) {
                throw new IOException("sketch store of " + length + " bins exceeds its bound of " + (MAX_INDEX - MIN_INDEX + 1));
            }
            counts = new long[length];
            offset = low;
            total = 0;
            for (int i = 0; i < length; i++) {
                counts[i] = readVarLong(in);
                total += counts[i];
            }
        }

        @Override
        public String toString() {
            return offset + ":" + Arrays.toString(counts);
        }
    }

    private static void writeVarLong(DataOutputStream out, long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long value = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }
}
