package io.latchkey.simulator.scenario;

/** A scenario file or built-in name that cannot be used; the message says what and where. */
public class ScenarioException extends RuntimeException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
