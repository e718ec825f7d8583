package io.chokepoint.producers.simulator;

/** A scenario cannot be found or is invalid; the message names the scenario and the offending setting. */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }
}
