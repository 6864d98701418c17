package io.latchkey.cloud.command;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandType;
import java.time.Instant;
import java.util.List;

/**
 * A command and what became of it, kept in the tenant's store ({@code commands/{id}}) and appended to
 * its {@code command-log} stream at every change. {@code failed} is the car's list of failed checks
 * (END_RENTAL, IMMOBILISE), null otherwise and in records written before it existed.
 */
public record CommandRecord(String id, String carId, String deviceId, CommandType type, String actor,
                            Instant issuedAt, Instant expiresAt, CommandStatus status, String reason,
                            LockState lockState, Boolean doorsOpen, Boolean duplicate, Instant answeredAt,
                            List<String> failed, Instant receivedAt) {

    static CommandRecord pending(Command command, String carId) {
        return new CommandRecord(command.id(), carId, command.deviceId(), command.type(), command.actor(),
                command.issuedAt(), command.expiresAt(), CommandStatus.PENDING, null, null, null, null, null, null, null);
    }

    CommandRecord answered(CommandAck ack, Instant at, Instant receivedAt) {
        return new CommandRecord(id, carId, deviceId, type, actor, issuedAt, expiresAt, CommandStatus.of(ack.outcome()),
                ack.reason(), ack.lockState(), ack.doorsOpen(), ack.duplicate(), at, ack.failed(), receivedAt);
    }

    CommandRecord withStatus(CommandStatus next, Instant at) {
        return new CommandRecord(id, carId, deviceId, type, actor, issuedAt, expiresAt, next, reason, lockState,
                doorsOpen, duplicate, at, failed, receivedAt);
    }
}
