package io.chokepoint.streams.window;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded, subtractable sketch behind the sliding windows. */
class DelaySketchTest {

    @Test
    void deductingAPaneLeavesExactlyTheSketchOfTheOthers() {
        Random random = new Random(1);
        DelaySketch oldest = new DelaySketch();
        DelaySketch newest = new DelaySketch();
        for (int i = 0; i < 500; i++) {
            oldest.add(random.nextGaussian() * 40);
            newest.add(random.nextGaussian() * 5 + 3);
        }
        DelaySketch window = new DelaySketch();
        window.merge(oldest);
        window.merge(newest);
        window.subtract(oldest);

        assertThat(window.count()).isEqualTo(500);
        assertThat(window.quantiles(0.01, 0.5, 0.95, 0.99)).containsExactly(newest.quantiles(0.01, 0.5, 0.95, 0.99));
    }

    @Test
    void theStoreStaysBoundedWhateverTheDelays() throws Exception {
        DelaySketch sketch = new DelaySketch();
        for (double h = 1e-9; h < 1e12; h *= 1.001) {
            sketch.add(h);
            sketch.add(-h);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sketch.write(new DataOutputStream(bytes));
        assertThat(bytes.size()).as("two stores of at most ~920 bins").isLessThan(2 * 1000 * 3 + 64);

        DelaySketch read = DelaySketch.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.count()).isEqualTo(sketch.count());
        assertThat(read.quantiles(0.0, 0.5, 1.0)).containsExactly(sketch.quantiles(0.0, 0.5, 1.0));
        assertThat(sketch.quantiles(1.0)[0]).as("clamped for the quantiles only").isCloseTo(DelaySketch.MAX_HOURS, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void quantilesAskedTogetherInAnyOrderAreTheQuantilesAskedOneByOne() {
        Random random = new Random(3);
        for (int run = 0; run < 300; run++) {
            DelaySketch sketch = new DelaySketch();
            int n = 1 + random.nextInt(run % 3 == 0 ? 5 : 400);
            for (int i = 0; i < n; i++) {
                double hours = randomDelay(random, random.nextInt(4), 8);
                sketch.add(hours);
            }
            double[] qs = new double[1 + random.nextInt(6)];
            for (int i = 0; i < qs.length; i++) {
                qs[i] = random.nextInt(5) == 0 ? random.nextInt(2) : random.nextDouble();
            }
            double[] together = sketch.quantiles(qs);
            for (int i = 0; i < qs.length; i++) {
                assertThat(together[i]).as("run " + run + ", q " + qs[i] + " of " + Arrays.toString(qs))
                        .isEqualTo(sketch.quantiles(qs[i])[0]);
            }
        }
    }

    @Test
    void eachQuantileIsTheBinOfTheObservationAtItsRank() {
        Random random = new Random(11);
        for (int run = 0; run < 500; run++) {
            DelaySketch sketch = new DelaySketch();
            int n = 1 + random.nextInt(run % 4 == 0 ? 6 : 500);
            double[] delays = new double[n];
            for (int i = 0; i < n; i++) {
                delays[i] = randomDelay(random, random.nextInt(run % 5 == 0 ? 2 : 5), 9);
                sketch.add(delays[i]);
            }
            Arrays.sort(delays);
            double[] qs = {0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1, random.nextDouble()};
            double[] got = sketch.quantiles(qs);
            for (int i = 0; i < qs.length; i++) {
                DelaySketch alone = new DelaySketch();
                alone.add(delays[(int) Math.floor(qs[i] * (n - 1))]);
                assertThat(got[i]).as("run %d, q %s, n %d", run, qs[i], n).isEqualTo(alone.quantiles(0.5)[0]);
            }
        }
    }

    /** Early (kind 0), on time (kind 1) or late (any other kind), over several orders of magnitude. */
    private static double randomDelay(Random random, int kind, double lateOrders) {
        return switch (kind) {
            case 0 -> -Math.exp(random.nextDouble() * 6);
            case 1 -> 0.0;
            default -> Math.exp(random.nextDouble() * lateOrders) - 1;
        };
    }
}
