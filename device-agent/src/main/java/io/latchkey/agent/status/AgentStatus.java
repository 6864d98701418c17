package io.latchkey.agent.status;

import io.latchkey.agent.journal.JournalStats;
import io.latchkey.agent.journal.ReceiptStats;
import java.time.Instant;

/**
 * A snapshot for people: what {@code status.json} in the data dir holds and {@code latchkey-agent status}
 * prints. {@code journal} and {@code receipts}, {@code supplyVolts} and {@code obd} are null when there is
 * no journal, no supply reading or no OBD-II polling; {@code power} is null when the agent runs no power states.
 */
public record AgentStatus(String deviceId, String agentVersion, AgentState state, boolean connected, Instant at,
                          JournalStats journal, ReceiptStats receipts, Double supplyVolts, boolean lowVoltage, ObdStats obd, String fault,
                          Power power) {
    public AgentStatus(String deviceId, String agentVersion, AgentState state, boolean connected, Instant at,
                       JournalStats journal, ReceiptStats receipts, Double supplyVolts, boolean lowVoltage, ObdStats obd, String fault) {
        this(deviceId, agentVersion, state, connected, at, journal, receipts, supplyVolts, lowVoltage, obd, fault, null);
    }

    /**
     * The power state (docs/agent.md, "Power states"): {@code state} is {@code NORMAL}, {@code ECONOMY}, {@code SLEEP} or
     * {@code PROTECT}; {@code batteryVolts} the last reading of the supply voltage (null without a voltage source or before
     * the first reading); {@code nextWake} when a sleeping or protected car turns its radio on again (null when awake);
     * {@code since} when the agent entered this state (its start, for the state it started in).
     */
    public record Power(String state, Double batteryVolts, Instant nextWake, Instant since) {
    }
}
