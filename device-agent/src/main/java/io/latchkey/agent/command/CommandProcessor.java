package io.latchkey.agent.command;

import io.latchkey.agent.vehicle.LockStates;
import io.latchkey.agent.vehicle.ReturnChecks;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.HalException;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandRejectedException;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.CommandRejectedException.Reason;
import io.latchkey.protocol.command.CommandVerifier;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the raw bytes of a {@code cmd} message into an acknowledgement: verify (key, signature,
 * tenant, device, validity window), answer a remembered id from its first result, refuse what is
 * unsafe, then drive the relay and report what the feedback shows. Nothing moves unless every check
 * passed. Calls must not overlap (the agent feeds it through a {@link SerialQueue}).
 */
public final class CommandProcessor {
    /** LOCK did not take because a door was open. */
    public static final String DOOR_OPEN = "DOOR_OPEN";
    /** The feedback did not reach the requested state within the timeout. */
    public static final String NO_FEEDBACK = "NO_FEEDBACK";
    /** The relay could not be driven. */
    public static final String RELAY_ERROR = "RELAY_ERROR";
    /** No immobiliser relay is wired ({@code hardware.gpio.immobiliser-relay} unset). */
    public static final String NO_IMMOBILISER = "NO_IMMOBILISER";
    /** END_RENTAL refused: the answer's {@code failed} list says which checks (see {@link ReturnChecks}). */
    public static final String RETURN_CHECKS_FAILED = "RETURN_CHECKS_FAILED";

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final CommandVerifier verifier;
    private final CommandHistory history;
    private final LockActuator actuator;
    private final DoorLocks locks;
    private final VehicleStatus vehicle;
    private final String deviceId;
    private final Clock clock;
    private final Optional<Immobiliser> immobiliser;
    private final ReturnChecks checks;

    public CommandProcessor(CommandVerifier verifier, CommandHistory history, LockActuator actuator, DoorLocks locks,
                            VehicleStatus vehicle, String deviceId, Clock clock) {
        this(verifier, history, actuator, locks, Optional.empty(), vehicle, deviceId, clock);
    }

    public CommandProcessor(CommandVerifier verifier, CommandHistory history, LockActuator actuator, DoorLocks locks,
                            Optional<Immobiliser> immobiliser, VehicleStatus vehicle, String deviceId, Clock clock) {
        this.immobiliser = Objects.requireNonNull(immobiliser, "immobiliser");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.history = Objects.requireNonNull(history, "history");
        this.actuator = Objects.requireNonNull(actuator, "actuator");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.vehicle = Objects.requireNonNull(vehicle, "vehicle");
        this.checks = new ReturnChecks(vehicle);
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public CompletableFuture<CommandAck> process(byte[] message) {
        return process(message, ack -> { });
    }

    /**
     * Verifies and runs one command. {@code answer} gets the answer as soon as it is known, before the
     * result is written to the history (an fsync): the answer goes out while the disk works. The
     * history already holds the command as begun (forced before any relay moved), so a crash between
     * the two can never run it again; a repeat is then answered {@code FAILED INTERRUPTED}.
     */
    public CompletableFuture<CommandAck> process(byte[] message, java.util.function.Consumer<CommandAck> answer) {
        Command command;
        try {
            command = verifier.verify(message);
        } catch (CommandRejectedException e) {
            LOG.info("{}: rejected command {}: {}", deviceId, UnverifiedCommandId.peek(message), e.getMessage());
            return answered(reject(UnverifiedCommandId.peek(message), e.reason()), answer);
        }
        Optional<CommandAck> first = history.find(command.id());
        if (first.isPresent()) {
            LOG.info("{}: repeated command {}, answering from its first result", deviceId, command.id());
            return answered(first.get().asDuplicate(), answer);
        }
        return execute(command).thenApply(ack -> {
            answer.accept(ack);
            history.complete(ack);
            return ack;
        });
    }

    private static CompletableFuture<CommandAck> answered(CommandAck ack, java.util.function.Consumer<CommandAck> answer) {
        answer.accept(ack);
        return CompletableFuture.completedFuture(ack);
    }

    private CompletableFuture<CommandAck> execute(Command command) {
        switch (command.type()) {
            case IMMOBILISE: {
                // Fail closed: only a car that knows it stands still with its ignition off is immobilised.
                List<String> unsafe = checks.parked();
                if (!unsafe.isEmpty()) {
                    return CompletableFuture.completedFuture(refused(command.id(), unsafe.get(0), unsafe));
                }
                return CompletableFuture.completedFuture(switchImmobiliser(command, true));
            }
            case MOBILISE:
                return CompletableFuture.completedFuture(switchImmobiliser(command, false));
            case END_RENTAL: {
                List<String> failed = checks.endOfRental(command.zone());
                if (!failed.isEmpty()) {
                    LOG.info("{}: END_RENTAL {} refused: {}", deviceId, command.id(), failed);
                    return CompletableFuture.completedFuture(refused(command.id(), RETURN_CHECKS_FAILED, failed));
                }
                break;
            }
            case UNLOCK:
            case LOCK:
                break;
            default:
                return CompletableFuture.completedFuture(reject(command.id(), Reason.MALFORMED));
        }
        history.begin(command.id());
        // END_RENTAL, its checks passed, locks the car like LOCK does: the answer is the lock feedback.
        CompletableFuture<LockActuator.Feedback> feedback =
                command.type() == CommandType.UNLOCK ? actuator.unlock() : actuator.lock();
        return feedback.handle((f, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                LOG.warn("{}: relay error on {} {}: {}", deviceId, command.type(), command.id(), cause.toString());
                return answer(command.id(), CommandOutcome.FAILED, RELAY_ERROR + ": " + cause.getMessage());
            }
            if (f.confirmed()) {
                return answer(command.id(), CommandOutcome.EXECUTED, null);
            }
            boolean doorsOpen = vehicle.doorsOpen();
            String reason = command.type() != CommandType.UNLOCK && doorsOpen
                    ? DOOR_OPEN : NO_FEEDBACK;
            if (command.type() == CommandType.END_RENTAL) {
                // its checks held, yet the lock did not take: say so in words the borrower can act on (the rental
                // does not end); the usual cause is a door or the boot this car has no contact for
                LOG.info("{}: END_RENTAL {} could not lock ({})", deviceId, command.id(), reason);
                return failed(command.id(), reason, List.of(ReturnChecks.LOCK_FAILED_LINE));
            }
            return answer(command.id(), CommandOutcome.FAILED, reason);
        });
    }

    /** Switches the immobiliser relay and reports what its feedback (or the relay line) then shows. */
    private CommandAck switchImmobiliser(Command command, boolean immobilise) {
        if (immobiliser.isEmpty()) {
            return answer(command.id(), CommandOutcome.FAILED, NO_IMMOBILISER);
        }
        Immobiliser relay = immobiliser.get();
        history.begin(command.id());
        try {
            if (immobilise) {
                relay.immobilise();
            } else {
                relay.mobilise();
            }
        } catch (HalException e) {
            LOG.warn("{}: relay error on {} {}: {}", deviceId, command.type(), command.id(), e.toString());
            return answer(command.id(), CommandOutcome.FAILED, RELAY_ERROR + ": " + e.getMessage());
        }
        boolean confirmed = relay.isImmobilised() == immobilise;
        return answer(command.id(), confirmed ? CommandOutcome.EXECUTED : CommandOutcome.FAILED, confirmed ? null : NO_FEEDBACK);
    }

    private CommandAck reject(String commandId, Reason reason) {
        return answer(commandId, CommandOutcome.REJECTED, reason.name());
    }

    /** Not done because a check failed: {@code reason} names the first (or the kind), {@code failed} all of them. */
    private CommandAck refused(String commandId, String reason, List<String> failed) {
        return new CommandAck(commandId, null, deviceId, CommandOutcome.REJECTED, reason, LockStates.toWire(locks.state()),
                vehicle.doorsOpen(), false, clock.instant(), failed);
    }

    /** Tried, and it did not take: {@code reason} is the kind, {@code failed} what the borrower can do about it. */
    private CommandAck failed(String commandId, String reason, List<String> failed) {
        return new CommandAck(commandId, null, deviceId, CommandOutcome.FAILED, reason, LockStates.toWire(locks.state()),
                vehicle.doorsOpen(), false, clock.instant(), failed);
    }

    private CommandAck answer(String commandId, CommandOutcome outcome, String reason) {
        return new CommandAck(commandId, null, deviceId, outcome, reason, LockStates.toWire(locks.state()),
                vehicle.doorsOpen(), false, clock.instant());
    }
}
