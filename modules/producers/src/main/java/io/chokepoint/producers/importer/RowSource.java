package io.chokepoint.producers.importer;

import java.io.Closeable;

/** Rows of one input file, read one at a time so memory stays constant whatever the file size. */
interface RowSource extends Closeable {

    /** The next row, or {@code null} at the end of the input. */
    Row next() throws BadFileException;

    /** Bytes consumed so far, for progress. */
    long bytesRead();
}
