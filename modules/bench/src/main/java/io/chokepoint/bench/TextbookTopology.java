package io.chokepoint.bench;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.streams.EventTimeExtractor;
import io.chokepoint.streams.StreamsSettings;
import io.chokepoint.streams.window.DelayObservation;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Peer C: the same delay stats written the way the Kafka Streams documentation teaches it —
 * {@code groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(24h, 2h).advanceBy(1h)).aggregate(…)}
 * with a DDSketch aggregate and {@code suppress(untilWindowCloses(…))} for the finals. What a user
 * would otherwise write (no de-duplication, policy context or overdue shipments).
 */
final class TextbookTopology {

    private TextbookTopology() {
    }

    static Topology build(StreamsSettings settings, Topics topics, String inputTopic, String outputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.String(), topics.shipmentMilestones().valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor()))
                .filter((hs, m) -> m != null && DelayObservation.of(m).isPresent())
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(settings.windowSize(), settings.grace()).advanceBy(settings.windowAdvance()))
                .aggregate(Aggregate::new, (hs, m, agg) -> agg.add(m),
                        Materialized.<String, Aggregate, WindowStore<Bytes, byte[]>>as("textbook-delay-windows")
                                .withKeySerde(Serdes.String()).withValueSerde(Aggregate.SERDE))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("textbook-finals"))
                .toStream()
                .map((window, agg) -> KeyValue.pair(window.key(), agg.toStats(window.key(), window.window().start(), window.window().end())))
                .to(outputTopic, Produced.with(Serdes.String(), topics.commodityDelayStats().valueSerde()));
        return builder.build();
    }

    /** Count, sum, min, max and a DDSketch of a window's delays. */
    static final class Aggregate {
        static final Serde<Aggregate> SERDE = Serdes.serdeFrom((topic, a) -> a.encode(), (topic, bytes) -> decode(bytes));

        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        DDSketch sketch = DDSketches.unboundedDense(0.01);

        Aggregate add(ShipmentMilestone m) {
            double h = DelayObservation.of(m).orElseThrow().delayHours();
            count++;
            sum += h;
            min = Math.min(min, h);
            max = Math.max(max, h);
            sketch.accept(h);
            return this;
        }

        CommodityDelayStats toStats(String hs, long start, long end) {
            double[] q = sketch.getValuesAtQuantiles(new double[]{0.5, 0.9, 0.95, 0.99});
            return CommodityDelayStats.newBuilder().setHsCode(hs)
                    .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end)).setIsFinal(true)
                    .setCount(count).setDistinctShipments(0).setMeanDelayHours(sum / count).setMinDelayHours(min).setMaxDelayHours(max)
                    .setP50DelayHours(q[0]).setP90DelayHours(q[1]).setP95DelayHours(q[2]).setP99DelayHours(q[3])
                    .setCustomsHolds(0).setOverdueShipments(0).setCurrentTariffPct(null).setLastTariffChangePct(null)
                    .setLastTariffChangeAt(null).setLicencesDecided(0).setLicencesApproved(0).setLicenceApprovalRate(null)
                    .setTopRoutes(List.of()).build();
        }

        byte[] encode() {
            try {
                GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
                sketch.encode(out, false);
                ByteBuffer buffer = ByteBuffer.allocate(32 + out.numWrittenBytes());
                buffer.putLong(count).putDouble(sum).putDouble(min).putDouble(max).put(out.backingArray(), 0, out.numWrittenBytes());
                return buffer.array();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Aggregate decode(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            Aggregate a = new Aggregate();
            a.count = buffer.getLong();
            a.sum = buffer.getDouble();
            a.min = buffer.getDouble();
            a.max = buffer.getDouble();
            byte[] rest = new byte[buffer.remaining()];
            buffer.get(rest);
            try {
                a.sketch = DDSketch.decode(ByteArrayInput.wrap(rest), UnboundedSizeDenseStore::new);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return a;
        }
    }
}
