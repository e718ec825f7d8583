package io.chokepoint.producers;

/** Kafka refused or failed to take the events (broker down, authorisation, registry); the import failed. */
public final class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
