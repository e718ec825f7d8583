package io.chokepoint.events.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer without ByteArrayOutputStream's lock: encoders write an int or a long a
 * byte at a time, and a monitor per byte showed in the stream thread's profile.
 */
public final class ByteSink extends OutputStream {

    private byte[] bytes;
    private int count;

    public ByteSink(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, count, len);
        count += len;
    }

    /** Empties the buffer, keeping its capacity. */
    public void reset() {
        count = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, count);
    }

    private void ensure(int more) {
        if (count + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }
    }
}
