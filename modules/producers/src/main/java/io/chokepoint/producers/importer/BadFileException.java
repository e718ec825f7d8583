package io.chokepoint.producers.importer;

/**
 * The input as a whole cannot be imported (missing, empty, wrong header, not UTF-8, an over-long
 * or truncated line). The message is the one line shown to the user, naming the file and line.
 */
public final class BadFileException extends Exception {

    public BadFileException(String message) {
        super(message);
    }
}
