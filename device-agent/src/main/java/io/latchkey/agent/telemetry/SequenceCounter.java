package io.latchkey.agent.telemetry;

/** Hands out the per-device telemetry sequence: 1, 2, 3, ... without repeats, across restarts if durable. */
public interface SequenceCounter {
    long next();

    /** The last number handed out; 0 before the first. */
    long last();
}
