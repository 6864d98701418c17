package io.latchkey.cloud.command;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The HTTP answer to a command: what the car reported. {@code failed} lists the checks the car refused
 * it for (END_RENTAL: {@code DOOR_OPEN: rear left}, ...; IMMOBILISE: {@code MOVING}, ...), else null.
 */
@Serdeable
public record CommandResult(String commandId, CommandType type, String outcome, String reason, LockState lockState,
                            Boolean doorsOpen, Boolean duplicate, long elapsedMs, @Nullable List<String> failed) {

    static CommandResult of(CommandRecord record, long elapsedMs) {
        return new CommandResult(record.id(), record.type(), record.status().name(), record.reason(), record.lockState(),
                record.doorsOpen(), record.duplicate(), elapsedMs, record.failed());
    }
}
