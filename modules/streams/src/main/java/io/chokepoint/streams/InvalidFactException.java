package io.chokepoint.streams;

/**
 * A record that deserialized but cannot be a fact of this topology (wrong key, missing field,
 * impossible time). Processing handlers send it to the dead-letter topic with this message.
 */
public class InvalidFactException extends RuntimeException {

    public InvalidFactException(String message) {
        super(message);
    }
}
