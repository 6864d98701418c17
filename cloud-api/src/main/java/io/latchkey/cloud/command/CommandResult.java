package io.latchkey.cloud.command;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandType;
import io.micronaut.serde.annotation.Serdeable;

/** The HTTP answer to a command: what the car reported. */
@Serdeable
public record CommandResult(String commandId, CommandType type, String outcome, String reason, LockState lockState,
                            Boolean doorsOpen, Boolean duplicate, long elapsedMs) {

    static CommandResult of(CommandRecord record, long elapsedMs) {
        return new CommandResult(record.id(), record.type(), record.status().name(), record.reason(), record.lockState(),
                record.doorsOpen(), record.duplicate(), elapsedMs);
    }
}
