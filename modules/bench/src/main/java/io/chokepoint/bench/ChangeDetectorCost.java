package io.chokepoint.bench;

import io.chokepoint.rules.evaluation.ChangeDetector;
import io.chokepoint.rules.evaluation.DetectorState;
import io.chokepoint.rules.evaluation.DetectorStateSerde;
import io.chokepoint.rules.model.ChangeDetection;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a {@code kind: change} rule adds to the topology's work. The evaluator observes each
 * commodity once per sample slot (an hour), reading the detector's state from its store, updating
 * it and writing it back; every other live view of the slot costs one map look-up. This measures
 * that observation in-process (the detector plus its state's bytes both ways, with a full baseline)
 * and sets it against the topology's throughput from the same run: one change rule over every
 * commodity of the workload, observed every hour of its span.
 */
final class ChangeDetectorCost {

    private static final int OBSERVATIONS = 400_000;

    private ChangeDetectorCost() {
    }

    static Map<String, Object> run(double topologyEventsPerSecond, Workload workload, PrintWriter w) {
        ChangeDetection c = new ChangeDetection(ChangeDetection.Direction.UP, Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7),
                4, ChangeDetection.Sensitivity.MEDIUM);
        String settings = ChangeDetector.settingsOf("p95DelayHours", c);
        DetectorStateSerde serde = new DetectorStateSerde();
        Serializer<DetectorState> out = serde.serializer();
        Deserializer<DetectorState> in = serde.deserializer();
        Random random = new Random(7);
        double nanosPerObservation = 0;
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            byte[] stored = null;
            long started = System.nanoTime();
            for (int i = 0; i < OBSERVATIONS; i++) {
                DetectorState state = stored == null ? null : in.deserialize("detectors", stored);
                DetectorState next = ChangeDetector.observe(c, settings, state, 8 + random.nextGaussian() * 2, i * 3_600_000L).orElseThrow();
                stored = out.serialize("detectors", next);
            }
            nanosPerObservation = (System.nanoTime() - started) / (double) OBSERVATIONS;
        }
        double observationsPerEvent = workload.commodities() * (double) Workload.SPAN.toHours() / workload.events();
        double share = topologyEventsPerSecond * observationsPerEvent * nanosPerObservation / 1e9;
        w.printf(Locale.ROOT, "change detector: %.1f µs per observation (14 d baseline, state read and written); one change rule over all %,d"
                        + " commodities observes %.3f times per input event: %.2f %% of the topology's time at %,.0f events/s (target <= 5 %%)%n",
                nanosPerObservation / 1000, workload.commodities(), observationsPerEvent, share * 100, topologyEventsPerSecond);
        w.flush();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nanosPerObservation", nanosPerObservation);
        m.put("observationsPerInputEvent", observationsPerEvent);
        m.put("shareOfTopologyTime", share);
        return m;
    }
}
