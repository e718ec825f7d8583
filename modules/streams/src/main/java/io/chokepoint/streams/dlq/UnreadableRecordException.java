package io.chokepoint.streams.dlq;

/**
 * Thrown by the first processor for an {@link UnreadableRecord}: the processing handler
 * dead-letters the record at the {@code DESERIALIZATION} stage, with the reading failure as cause.
 */
public final class UnreadableRecordException extends RuntimeException {

    UnreadableRecordException(RuntimeException failure) {
        super(failure.getMessage(), failure);
    }

    /** The reading failure this exception carries, found in {@code e} or its causes; null if none. */
    static RuntimeException readingFailureIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnreadableRecordException unreadable) {
                return (RuntimeException) unreadable.getCause();
            }
        }
        return null;
    }
}
