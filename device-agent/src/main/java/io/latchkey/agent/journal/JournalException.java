package io.latchkey.agent.journal;

import io.latchkey.agent.AgentException;

/** The journal's files cannot be read or written (disk full, permissions, a directory that vanished). */
public class JournalException extends AgentException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
