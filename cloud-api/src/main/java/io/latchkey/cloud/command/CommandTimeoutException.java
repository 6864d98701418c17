package io.latchkey.cloud.command;

import io.latchkey.cloud.GatewayTimeoutException;

/** The device did not answer within the command's lifetime (504). The command has expired unexecuted. */
public class CommandTimeoutException extends GatewayTimeoutException {
    private final String commandId;

    public CommandTimeoutException(String commandId, String message) {
        super(message);
        this.commandId = commandId;
    }

    public String commandId() {
        return commandId;
    }
}
