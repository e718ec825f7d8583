package io.chokepoint.bench;

import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * The generated input, deterministic: first the open shipments (BOOKED, never arriving, spread
 * over the 90 days before the measured span), then {@code events} milestones of shipments of
 * {@code commodities} commodities over 48 h — two per shipment, DEPARTED then ARRIVED, delays with
 * a long tail and early arrivals, ±10 min disorder — and finally one record per commodity 50 h
 * later, so every window of the data closes and owes its final.
 */
record Workload(int events, int commodities, int openShipmentsPerCommodity) {

    static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");
    static final Duration SPAN = Duration.ofHours(48);
    static final Duration OPEN_SPAN = Duration.ofDays(90);

    long records() {
        return (long) events + commodities + (long) commodities * openShipmentsPerCommodity;
    }

    /** Windows with data per commodity-window arithmetic: each commodity has data over the whole span, 24 h windows hop 1 h. */
    static String hs(int commodity) {
        return String.format(Locale.ROOT, "%06d", 100_000 + commodity);
    }

    void produceTo(ChokepointConfig config, Topics topics, String topic) {
        Random random = new Random(42);
        Properties props = config.kafkaClientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        try (KafkaProducer<String, ShipmentMilestone> producer = new KafkaProducer<>(props, new StringSerializer(),
                topics.shipmentMilestones().valueSerde().serializer())) {
            long open = (long) commodities * openShipmentsPerCommodity;
            long openStart = T0.minus(OPEN_SPAN).toEpochMilli();
            for (long i = 0; i < open; i++) {
                long t = openStart + i * OPEN_SPAN.toMillis() / Math.max(1, open);
                // booked far ahead: a shipment the overdue check still waits for
                send(producer, topic, hs((int) (i % commodities)), "open-" + i, Milestone.BOOKED, t, t + OPEN_SPAN.toMillis(), 0);
            }
            long spanMs = SPAN.toMillis();
            for (int i = 0; i < events; i++) {
                String hs = hs((i / 2) % commodities);
                long t = T0.toEpochMilli() + (long) i * spanMs / events + (long) (random.nextGaussian() * 600_000);
                double delayHours = Math.exp(random.nextGaussian() + 1.5) - 3.0;
                long delayMs = Math.round(delayHours * 3_600_000);
                Milestone milestone = i % 2 == 0 ? Milestone.DEPARTED : Milestone.ARRIVED;
                send(producer, topic, hs, "s" + i / 2, milestone, t, t - delayMs, delayMs);
            }
            long end = T0.plus(SPAN).plus(Duration.ofHours(50)).toEpochMilli();
            for (int c = 0; c < commodities; c++) {
                send(producer, topic, hs(c), "clock-" + c, Milestone.DEPARTED, end, end, 0);
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, ShipmentMilestone> producer, String topic, String hs, String shipment,
                             Milestone milestone, long actual, long planned, long delayMs) {
        ShipmentMilestone m = ShipmentMilestone.newBuilder()
                .setEventId(shipment + ":" + milestone).setShipmentId(shipment).setHsCode(hs)
                .setOrigin("CN").setDestination("US").setMilestone(milestone)
                .setPlannedAt(Instant.ofEpochMilli(planned)).setActualAt(Instant.ofEpochMilli(actual))
                .setQuantityKg(null).setCarrier(null).build();
        producer.send(new ProducerRecord<>(topic, null, actual, hs, m));
    }
}
