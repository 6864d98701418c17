package io.latchkey.agent.power;

/** The agent's power states, from most to least awake (docs/agent.md, "Power states"). */
public enum PowerState {
    /** Driving, just parked, or a booking about to start: everything on, the normal reporting intervals. */
    NORMAL,
    /** Parked a while, or the battery low: connected, reporting at the longer parked interval. */
    ECONOMY,
    /** Parked for long: radio and MQTT off, telemetry kept in the journal; wakes on a timer and ahead of the next booking. */
    SLEEP,
    /** Battery critical for a set time: everything off until the voltage recovers; survives a restart. */
    PROTECT
}
