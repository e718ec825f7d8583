package io.chokepoint.producers.simulator;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over a sequence of events as bytes (event time, key, Avro single-object encoding), so two
 * runs can be compared for byte-identity without keeping the events.
 */
public final class SequenceDigest {

    private final MessageDigest sha;
    private final ByteBuffer header = ByteBuffer.allocate(Long.BYTES);
    private long count;

    public SequenceDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public void add(SimEvent event) {
        header.clear();
        header.putLong(event.eventTimeMs()).flip();
        sha.update(header);
        sha.update(event.hsCode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(event.toBytes());
        count++;
    }

    public long count() {
        return count;
    }

    public String hex() {
        return HexFormat.of().formatHex(sha.digest());
    }
}
