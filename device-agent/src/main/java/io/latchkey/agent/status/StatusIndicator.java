package io.latchkey.agent.status;

/** Shows the agent's state to a person standing by the car: an LED, or the log. */
public interface StatusIndicator extends AutoCloseable {
    /** Shows {@code state} until the next call; cheap when the state did not change. Never throws. */
    void show(AgentState state);

    @Override
    default void close() {
    }
}
