package io.latchkey.protocol.command;

/** How a device answered a command. */
public enum CommandOutcome {
    /** Done, and the resulting state was read back from feedback. */
    EXECUTED,
    /** Not done: forged, expired, replayed, addressed elsewhere, or unsafe. Nothing moved. */
    REJECTED,
    /** Tried, but the feedback did not confirm the requested state (e.g. a door was open at LOCK). */
    FAILED
}
