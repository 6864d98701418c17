package io.latchkey.simulator.audit;

import io.latchkey.agent.journal.JournalStats;
import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.TelemetryRecord;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The end-of-scenario accounting, read from the store through the operator API and from each car's
 * journal and ledger: first waits for the fleet to drain (every journal acknowledged, the store caught
 * up), then checks every car's telemetry and commands.
 */
public final class FleetAudit {
    /** The API returns at most this many records per car. */
    private static final int API_LIMIT = 1000;

    /** @param drainMillis how long the fleet took to drain, -1 if it did not within the timeout */
    public record Result(List<TelemetryAudit.Result> telemetry, List<CommandAudit.Result> commands, long drainMillis,
                         List<String> undrained) {
    }

    private final LatchkeyClient api;
    private final Session operator;
    private final String tenant;
    private final AuditedFleet fleet;
    private final Map<String, String> carIdByDevice;

    public FleetAudit(LatchkeyClient api, Session operator, String tenant, AuditedFleet fleet, List<CarDetail> cars) {
        this.api = Objects.requireNonNull(api, "api");
        this.operator = operator;
        this.tenant = tenant;
        this.fleet = fleet;
        this.carIdByDevice = new HashMap<>();
        cars.forEach(c -> carIdByDevice.put(c.deviceId(), c.id()));
    }

    public Result run(Duration drainTimeout) {
        long start = System.nanoTime();
        List<String> undrained = awaitDrained(drainTimeout);
        long drainMillis = undrained.isEmpty() ? (System.nanoTime() - start) / 1_000_000 : -1;
        List<TelemetryAudit.Result> telemetry = new ArrayList<>();
        List<CommandAudit.Result> commands = new ArrayList<>();
        // One grace period for the whole fleet, not one per car: a backend that stopped ingesting must
        // not turn the audit into hours of waiting.
        long catchUpDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (String deviceId : fleet.deviceIds()) {
            telemetry.add(telemetry(deviceId, catchUpDeadline));
            CarLedger ledger = fleet.ledger(deviceId);
            commands.add(CommandAudit.check(deviceId, fleet.activations(deviceId), ledger.answers(), ledger.received()));
        }
        return new Result(telemetry, commands, drainMillis, undrained);
    }

    /** Cars whose journal still holds unreceipted records, or whose records the store has not all got. */
    private List<String> awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> waiting = new ArrayList<>(fleet.deviceIds());
        while (true) {
            waiting.removeIf(this::drained);
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                return waiting;
            }
            sleep(500);
        }
    }

    private boolean drained(String deviceId) {
        if (!fleet.isRunning(deviceId)) {
            return false;
        }
        JournalStats s = fleet.journal(deviceId);
        return s.pendingRecords() == 0 && storeLastSeq(deviceId) >= s.ackedSeq();
    }

    /**
     * The highest seq among the car's most recently stored records, from the telemetry store itself (the car state's
     * {@code lastSeq} may lag a parked car by up to 2 minutes: docs/storage.md, "Replicas").
     */
    private long storeLastSeq(String deviceId) {
        try {
            return api.telemetry(operator.token(), tenant, carIdByDevice.get(deviceId), RECENT).stream()
                    .mapToLong(TelemetryRecord::seq).max().orElse(0);
        } catch (ApiException e) {
            return -1;
        }
    }

    /** How many of the newest stored records {@link #storeLastSeq} looks at (resends may store seqs out of order). */
    private static final int RECENT = 50;

    private TelemetryAudit.Result telemetry(String deviceId, long catchUpDeadline) {
        JournalStats s = fleet.journal(deviceId);
        // what the store holds may lag the receipts by a moment: give it one
        while (System.nanoTime() < catchUpDeadline && storeLastSeq(deviceId) < s.ackedSeq()) {
            sleep(200);
        }
        List<TelemetryRecord> stored = api.telemetry(operator.token(), tenant, carIdByDevice.get(deviceId), API_LIMIT);
        List<Long> seqs = stored.stream().map(TelemetryRecord::seq).toList();
        return TelemetryAudit.check(deviceId, seqs, s.lastSeq(), s.ackedSeq(), stored.size() >= API_LIMIT);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
