package io.chokepoint.dashboard.api;

/** The instance cannot answer correctly right now (a rebalance moves the state): 503 with Retry-After. */
public final class Unavailable extends RuntimeException {

    public Unavailable(String message) {
        super(message);
    }
}
