package io.chokepoint.events.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry refused or could not answer a request. Carries the subject and the
 * registry's own reason so the message tells the operator what to fix.
 */
public class SchemaRegistryException extends SerializationException {

    private final String subject;
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, String subject, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.subject = subject;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public String subject() {
        return subject;
    }

    /** HTTP status, or 0 when the registry could not be reached at all. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code (e.g. 40401 subject not found, 409 incompatible), or 0. */
    public int errorCode() {
        return errorCode;
    }

    /** True for failures a retry may cure (unreachable, 5xx); false for a refusal such as 409 or 404. */
    public boolean isTransient() {
        return httpStatus == 0 || httpStatus >= 500;
    }
}
