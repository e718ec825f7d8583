package io.chokepoint.producers.importer;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 text for the importers, in constant memory: malformed or unmappable bytes are an
 * error naming the line (a lenient decoder would silently turn them into U+FFFD and corrupt
 * names and ids), a line longer than the limit is an error (a binary file or a missing line
 * break would otherwise be buffered whole), a leading byte-order mark is dropped, and whether
 * the input ended with a line break is remembered to recognise a truncated last line.
 */
final class ValidatingReader extends Reader {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final int maxLineLength;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER);

    private long line = 1;
    private int lineLength;
    private long bytesRead;
    private boolean inputDone;
    private boolean decoderFlushed;
    private boolean firstChar = true;
    private char lastChar;
    private boolean sawAnyChar;
    private String pendingError;

    ValidatingReader(InputStream in, int maxLineLength) {
        this.in = in;
        this.maxLineLength = maxLineLength;
        chars.flip(); // empty, ready for reading
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (pendingError != null) {
                throw new BadInputException("line " + line + ", character " + (lineLength + 1) + ": " + pendingError);
            }
            if (decoderFlushed) {
                return -1;
            }
            fill();
        }
        int n = 0;
        while (n < length && chars.hasRemaining()) {
            char c = chars.get();
            if (firstChar) {
                firstChar = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c == '\n') {
                line++;
                lineLength = 0;
            } else if (++lineLength > maxLineLength) {
                throw new BadInputException("line " + line + " is longer than " + maxLineLength
                        + " characters (a binary file, or missing line breaks?)");
            }
            lastChar = c;
            sawAnyChar = true;
            target[offset + n++] = c;
        }
        return n;
    }

    /** Decodes the next chunk; a decoding error is kept until the characters before it have been read. */
    private void fill() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (!inputDone && bytes.hasRemaining()) {
                    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    if (n < 0) {
                        inputDone = true;
                    } else {
                        bytes.position(bytes.position() + n);
                        bytesRead += n;
                    }
                }
                bytes.flip();
                CoderResult result = decoder.decode(bytes, chars, inputDone);
                bytes.compact();
                if (result.isError()) {
                    pendingError = describe(result);
                    return;
                }
                if (inputDone && bytes.position() == 0) {
                    if (decoder.flush(chars).isOverflow()) {
                        return;
                    }
                    decoderFlushed = true;
                    return;
                }
                if (inputDone && result.isUnderflow() && bytes.position() > 0) {
                    pendingError = "the input ends inside a multi-byte UTF-8 character (truncated file?)";
                    return;
                }
            }
        } finally {
            chars.flip();
        }
    }

    private String describe(CoderResult result) {
        StringBuilder hex = new StringBuilder();
        int start = 0; // after compact() the offending bytes are at the start of the buffer
        for (int i = start; i < Math.min(start + result.length(), bytes.position()); i++) {
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(i) & 0xFF));
        }
        return "invalid UTF-8 (bytes " + hex + "); save the file as UTF-8";
    }

    /** Bytes consumed from the input so far, for progress and ETA. */
    long bytesRead() {
        return bytesRead;
    }

    /** The line the reader is on (1-based); only meaningful for line-by-line callers. */
    long line() {
        return line;
    }

    /** True when the input was empty or its last character is a line break. */
    boolean endedWithLineBreak() {
        return !sawAnyChar || lastChar == '\n' || lastChar == '\r';
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
