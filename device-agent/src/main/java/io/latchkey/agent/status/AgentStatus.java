package io.latchkey.agent.status;

import io.latchkey.agent.journal.JournalStats;
import java.time.Instant;

/**
 * A snapshot for people: what {@code status.json} in the data dir holds and {@code latchkey-agent status}
 * prints. {@code journal} and {@code supplyVolts} are null when there is no journal or no supply reading.
 */
public record AgentStatus(String deviceId, String agentVersion, AgentState state, boolean connected, Instant at,
                          JournalStats journal, Double supplyVolts, boolean lowVoltage, String fault) {
}
