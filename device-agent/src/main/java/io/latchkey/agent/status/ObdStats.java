package io.latchkey.agent.status;

/**
 * The OBD-II poller's counters since the agent started: answers applied, requests that got no answer
 * before their PID came round again (a PID the car does not support, or a silent ECU), and frames from
 * an ECU address that were not a usable answer (negative responses, multi-frame, PIDs not polled).
 */
public record ObdStats(long responses, long unanswered, long malformed) {
}
