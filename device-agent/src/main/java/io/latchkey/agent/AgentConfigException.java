package io.latchkey.agent;


/** A configuration that cannot run: the message names the key and what was expected. */
public class AgentConfigException extends AgentException {
    public AgentConfigException(String message) {
        super(message);
    }

    public AgentConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
