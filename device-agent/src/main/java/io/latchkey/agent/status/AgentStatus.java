package io.latchkey.agent.status;

import io.latchkey.agent.journal.JournalStats;
import io.latchkey.agent.journal.ReceiptStats;
import java.time.Instant;

/**
 * A snapshot for people: what {@code status.json} in the data dir holds and {@code latchkey-agent status}
 * prints. {@code journal} and {@code receipts}, {@code supplyVolts} and {@code obd} are null when there is
 * no journal, no supply reading or no OBD-II polling.
 */
public record AgentStatus(String deviceId, String agentVersion, AgentState state, boolean connected, Instant at,
                          JournalStats journal, ReceiptStats receipts, Double supplyVolts, boolean lowVoltage, ObdStats obd, String fault) {
}
