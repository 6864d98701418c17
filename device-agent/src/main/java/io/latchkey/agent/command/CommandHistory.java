package io.latchkey.agent.command;

import io.latchkey.protocol.command.CommandAck;
import java.util.Optional;

/**
 * Remembers the first result of every command id, so that a repeated id is answered without moving
 * anything again. An implementation is bounded: it forgets the oldest ids first. A durable one must
 * survive restarts, which is why {@link #begin} exists: an id begun but never completed (the agent
 * died mid-command) is answered as FAILED/INTERRUPTED rather than executed a second time.
 */
public interface CommandHistory extends AutoCloseable {
    /** Reason given for a command whose execution was interrupted by a restart. */
    String INTERRUPTED = "INTERRUPTED";

    /** The first result for this id, if it is still remembered. */
    Optional<CommandAck> find(String commandId);

    /** Records, before anything moves, that this id is being executed. */
    void begin(String commandId);

    /** Records the result of an id. */
    void complete(CommandAck ack);

    @Override
    void close();
}
