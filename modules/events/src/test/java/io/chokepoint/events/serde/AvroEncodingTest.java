package io.chokepoint.events.serde;

import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AvroEncodingTest {

    private static final SpecificDatumWriter<ShipmentMilestone> WRITER = new SpecificDatumWriter<>(ShipmentMilestone.class);
    private static final byte[] HEADER = {0, 0, 0, 0, 7};

    @Test
    void encodesAsAvroAfterThePrefixWhateverWasEncodedBefore() throws Exception {
        ShipmentMilestone small = milestone("s1", 10);
        ShipmentMilestone large = milestone("s2-" + "x".repeat(5_000), 20); // beyond the buffer's first capacity
        assertThat(AvroEncoding.encode(HEADER, WRITER, large)).isEqualTo(withHeader(plain(large)));
        assertThat(AvroEncoding.encode(HEADER, WRITER, small)).isEqualTo(withHeader(plain(small)));
        assertThat(AvroEncoding.encode(new byte[0], WRITER, small)).isEqualTo(plain(small));
    }

    @Test
    void aKeptEncodingServesOnlyThatInstance() throws Exception {
        ShipmentMilestone kept = milestone("s1", 10);
        assertThat(AvroEncoding.encodeAndKeep(WRITER, kept)).isEqualTo(plain(kept));
        assertThat(AvroEncoding.encode(HEADER, WRITER, kept)).isEqualTo(withHeader(plain(kept)));

        ShipmentMilestone equalButAnother = milestone("s1", 10);
        equalButAnother.setQuantityKg(99.0);
        assertThat(AvroEncoding.encode(HEADER, WRITER, equalButAnother)).isEqualTo(withHeader(plain(equalButAnother)));

        ShipmentMilestone next = milestone("s3", 30);
        AvroEncoding.encodeAndKeep(WRITER, next);
        assertThat(AvroEncoding.encode(HEADER, WRITER, kept)).as("no longer the kept one").isEqualTo(withHeader(plain(kept)));
    }

    @Test
    void eachThreadKeepsItsOwn() throws Exception {
        ShipmentMilestone kept = milestone("s1", 10);
        AvroEncoding.encodeAndKeep(WRITER, kept);
        byte[][] onOther = new byte[1][];
        Thread other = new Thread(() -> {
            try {
                onOther[0] = AvroEncoding.encode(HEADER, WRITER, milestone("s9", 90));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        other.join();
        assertThat(onOther[0]).isEqualTo(withHeader(plain(milestone("s9", 90))));
        assertThat(AvroEncoding.encode(HEADER, WRITER, kept)).isEqualTo(withHeader(plain(kept)));
    }

    private static ShipmentMilestone milestone(String shipment, int minutes) {
        Instant actual = Instant.parse("2025-04-01T00:00:00Z").plusSeconds(60L * minutes);
        return ShipmentMilestone.newBuilder().setEventId(shipment + ":DEPARTED").setShipmentId(shipment).setHsCode("850511")
                .setOrigin("CN").setDestination("US").setMilestone(Milestone.DEPARTED).setPlannedAt(actual.minusSeconds(3_600))
                .setActualAt(actual).setQuantityKg(1000.0).setCarrier("COSCO").build();
    }

    private static byte[] plain(ShipmentMilestone m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        WRITER.write(m, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] withHeader(byte[] body) {
        byte[] all = new byte[HEADER.length + body.length];
        System.arraycopy(HEADER, 0, all, 0, HEADER.length);
        System.arraycopy(body, 0, all, HEADER.length, body.length);
        return all;
    }
}
