package io.latchkey.agent.status;

/** What the agent is doing, as the status LED and {@code status.json} show it. */
public enum AgentState {
    /** Assembling hardware and opening the journal. */
    BOOTING,
    /** Started, never connected yet. */
    CONNECTING,
    /** Connected to the broker; telemetry flows. */
    ONLINE,
    /** Was online, lost the broker; telemetry goes to the journal and is replayed on reconnect. */
    OFFLINE_BUFFERING,
    /** Something needs a person: the journal cannot be written, or a driver failed. */
    FAULT
}
