package io.latchkey.agent.key;

import io.latchkey.agent.command.CommandProcessor;
import io.latchkey.agent.command.LockActuator;
import io.latchkey.agent.command.SerialQueue;
import io.latchkey.agent.vehicle.LockStates;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.HalException;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.key.KeyRight;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Drives the door locks for a key through the commands' own {@link LockActuator} and {@link SerialQueue}, so a key
 * and a command never fire relays at once, and answers with what the feedback shows, in the commands' words
 * ({@link CommandProcessor#NO_FEEDBACK}, {@link CommandProcessor#DOOR_OPEN}, {@link CommandProcessor#RELAY_ERROR},
 * {@link CommandProcessor#NO_IMMOBILISER}).
 */
public final class DoorLockKeyActions implements KeyActions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DoorLockKeyActions.class);
    private final LockActuator actuator;
    private final SerialQueue queue;
    private final DoorLocks locks;
    private final Optional<Immobiliser> immobiliser;
    private final VehicleStatus vehicle;

    public DoorLockKeyActions(LockActuator actuator, SerialQueue queue, DoorLocks locks, Optional<Immobiliser> immobiliser,
                              VehicleStatus vehicle) {
        this.actuator = Objects.requireNonNull(actuator, "actuator");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.immobiliser = Objects.requireNonNull(immobiliser, "immobiliser");
        this.vehicle = Objects.requireNonNull(vehicle, "vehicle");
    }

    @Override
    public CompletableFuture<Done> perform(KeyRight action) {
        return queue.submit(() -> switch (action) {
            case UNLOCK -> feedback(actuator.unlock(), false);
            case LOCK -> feedback(actuator.lock(), true);
            case START -> CompletableFuture.completedFuture(mobilise());
        }).exceptionally(e -> new Done("FAILED", CommandProcessor.RELAY_ERROR, lockState()));
    }

    @Override
    public LockState lockState() {
        return LockStates.toWire(locks.state());
    }

    private CompletableFuture<Done> feedback(CompletableFuture<LockActuator.Feedback> pulse, boolean locking) {
        return pulse.handle((f, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                LOG.warn("offline key: relay error: {}", cause.toString());
                return new Done("FAILED", CommandProcessor.RELAY_ERROR, lockState());
            }
            if (f.confirmed()) {
                return new Done("EXECUTED", null, LockStates.toWire(f.state()));
            }
            return new Done("FAILED", locking && vehicle.doorsOpen() ? CommandProcessor.DOOR_OPEN : CommandProcessor.NO_FEEDBACK,
                    LockStates.toWire(f.state()));
        });
    }

    private Done mobilise() {
        if (immobiliser.isEmpty()) {
            return new Done("REJECTED", CommandProcessor.NO_IMMOBILISER, lockState());
        }
        try {
            immobiliser.get().mobilise();
        } catch (HalException e) {
            LOG.warn("offline key: immobiliser relay error: {}", e.toString());
            return new Done("FAILED", CommandProcessor.RELAY_ERROR, lockState());
        }
        return immobiliser.get().isImmobilised()
                ? new Done("FAILED", CommandProcessor.NO_FEEDBACK, lockState())
                : new Done("EXECUTED", null, lockState());
    }
}
