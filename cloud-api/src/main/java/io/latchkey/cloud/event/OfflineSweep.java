package io.latchkey.cloud.event;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises {@code CAR_OFFLINE} for each car not seen for longer than {@code latchkey.events.offline-after}: its
 * last will said offline, or it fell silent (no telemetry, no state) without one. Once per offline period: the
 * event's time is the last sighting plus the threshold, so every sweep of the same period finds the same event;
 * a car that comes back and goes away again starts a new period. Cars never seen are left alone. The sweep also
 * mails alerts a crash left unmailed ({@link Events#notifyPending}).
 */
@Singleton
public class OfflineSweep {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineSweep.class);

    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final Events events;
    private final EventsConfig config;
    private final Clock clock;

    /** Margin for state writes of two replicas landing out of order: far more than they ever are. */
    static final java.time.Duration SLACK = java.time.Duration.ofMinutes(1);

    public OfflineSweep(TenantDirectory tenants, CarRegistry cars, Events events, EventsConfig config, Clock clock) {
        this.tenants = tenants;
        this.cars = cars;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${latchkey.events.sweep-interval:1m}", initialDelay = "${latchkey.events.sweep-interval:1m}")
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("offline sweep failed: {}", e.toString());
        }
    }

    /**
     * One pass over every tenant's cars.
     *
     * @return how many CAR_OFFLINE events this pass stored or found already stored
     */
    public int sweep() {
        int raised = 0;
        Instant now = clock.instant();
        for (Tenant tenant : tenants.all()) {
            for (String carId : cars.idsForSweeps(tenant.id())) {
                // Seen by this replica (stored or read) less than offlineAfter minus one sweep interval ago: the
                // stored lastSeen is at least that, so the car is not offline; its state is not read. Every other car's
                // state is read and judged as before. (At 10,000 cars reporting every minute this saves one read per
                // car and minute on each replica; the cars' own documents are not read at all, only listed.)
                Instant seenHere = cars.lastSeenHere(tenant.id(), carId);
                if (seenHere != null && now.isBefore(seenHere.plus(config.offlineAfter()).minus(SLACK))) {
                    continue;
                }
                CarState state = cars.state(tenant.id(), carId);
                if (state.lastSeen() == null) {
                    continue;
                }
                // a car that said it sleeps (power states) is expected off the air until its next wake
                boolean asleep = state.powerState() != null && CarState.ASLEEP.contains(state.powerState())
                        && state.nextWake() != null && state.nextWake().isAfter(state.lastSeen());
                Instant expected = asleep ? state.nextWake() : state.lastSeen();
                Instant offlineFrom = expected.plus(config.offlineAfter());
                // judged by lastSeen: the stored one may lag the car's last record by up to
                // CarRegistry.LAST_SEEN_WRITTEN_WITHIN (a parked car's batches that change nothing else are written
                // that seldom), so wait that much longer before calling the car offline
                Instant judgedFrom = !asleep ? offlineFrom.plus(CarRegistry.LAST_SEEN_WRITTEN_WITHIN) : offlineFrom;
                if (now.isBefore(judgedFrom)) {
                    continue;
                }
                events.raise(tenant.id(), carId, Events.CAR_OFFLINE, offlineFrom,
                        Map.of("lastSeen", state.lastSeen().toString(),
                                "cause", Boolean.TRUE.equals(state.online()) ? "SILENT" : "DISCONNECTED",
                                "offlineAfter", config.offlineAfter().toString()),
                        "offline|" + state.lastSeen());
                raised++;
            }
            events.notifyPending(tenant.id());
        }
        return raised;
    }
}
