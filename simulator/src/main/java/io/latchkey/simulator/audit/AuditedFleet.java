package io.latchkey.simulator.audit;

import io.latchkey.agent.journal.JournalStats;
import io.latchkey.simulator.car.RelayActivation;
import java.util.List;

/**
 * What the audit reads of a running fleet: owned here so that the fleet (which records into
 * {@link CarLedger}s) depends on the audit and not the other way round.
 */
public interface AuditedFleet {
    List<String> deviceIds();

    /** What the car's agent was sent and answered, as the fleet observed it on the wire. */
    CarLedger ledger(String deviceId);

    /** Every pulse of the car's lock relays, in order. */
    List<RelayActivation> activations(String deviceId);

    boolean isRunning(String deviceId);

    /** The backlog of the car's telemetry journal. */
    JournalStats journal(String deviceId);
}
