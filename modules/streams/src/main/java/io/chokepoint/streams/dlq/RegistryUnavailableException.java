package io.chokepoint.streams.dlq;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry could not be reached after every retry. Not a bad record: the dead-letter
 * handlers answer FAIL to it, so the application stops loudly instead of dead-lettering good data.
 */
public class RegistryUnavailableException extends SerializationException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
