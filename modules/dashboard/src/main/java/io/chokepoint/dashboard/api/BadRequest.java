package io.chokepoint.dashboard.api;

/** The request is wrong; the message says which parameter and why: 400. */
public final class BadRequest extends RuntimeException {

    public BadRequest(String message) {
        super(message);
    }
}
