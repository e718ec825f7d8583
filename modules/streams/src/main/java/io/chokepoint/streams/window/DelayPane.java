package io.chokepoint.streams.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Delay observations of one commodity in one pane (the greatest common step of window size and
 * advance). Each observation updates exactly one pane; a window's stats are the merge of its
 * panes, which is why the quantile sketch must be mergeable. Exact count, sum, min and max;
 * quantiles from a DDSketch with 1 % relative accuracy whose dense stores hold negative delays
 * (early arrivals) as well as positive ones.
 */
public final class DelayPane {

    public static final double RELATIVE_ACCURACY = 0.01;

    long count;
    double sumHours;
    double minHours = Double.POSITIVE_INFINITY;
    double maxHours = Double.NEGATIVE_INFINITY;
    long customsHolds;
    DDSketch sketch;
    final Set<String> shipments;
    final Map<String, Double> routeDelayHours;

    public DelayPane() {
        this(DDSketches.unboundedDense(RELATIVE_ACCURACY), new HashSet<>(), new HashMap<>());
    }

    DelayPane(DDSketch sketch, Set<String> shipments, Map<String, Double> routeDelayHours) {
        this.sketch = sketch;
        this.shipments = shipments;
        this.routeDelayHours = routeDelayHours;
    }

    public void add(DelayObservation observation) {
        double h = observation.delayHours();
        count++;
        sumHours += h;
        minHours = Math.min(minHours, h);
        maxHours = Math.max(maxHours, h);
        if (observation.isCustomsHold()) {
            customsHolds++;
        }
        sketch.accept(h);
        shipments.add(observation.shipmentId());
        // only lateness counts towards a route's share of the delay; early arrivals do not offset it
        routeDelayHours.merge(observation.route(), Math.max(0.0, h), Double::sum);
    }

    /** Adds another pane (or window) into this one. */
    public void merge(DelayPane other) {
        if (other.count == 0) {
            return;
        }
        count += other.count;
        sumHours += other.sumHours;
        minHours = Math.min(minHours, other.minHours);
        maxHours = Math.max(maxHours, other.maxHours);
        customsHolds += other.customsHolds;
        sketch.mergeWith(other.sketch);
        shipments.addAll(other.shipments);
        other.routeDelayHours.forEach((route, hours) -> routeDelayHours.merge(route, hours, Double::sum));
    }

    public long count() {
        return count;
    }

    public double meanHours() {
        return count == 0 ? 0.0 : sumHours / count;
    }

    public double minHours() {
        return count == 0 ? 0.0 : minHours;
    }

    public double maxHours() {
        return count == 0 ? 0.0 : maxHours;
    }

    public long customsHolds() {
        return customsHolds;
    }

    public long distinctShipments() {
        return shipments.size();
    }

    /** Delays at quantiles {@code qs} (0..1), each within 1 % of the true value, in one pass over the sketch; zeros when empty. */
    public double[] quantilesHours(double... qs) {
        return count == 0 ? new double[qs.length] : sketch.getValuesAtQuantiles(qs);
    }

    public Map<String, Double> routeDelayHours() {
        return Map.copyOf(routeDelayHours);
    }
}
