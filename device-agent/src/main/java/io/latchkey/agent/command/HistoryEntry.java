package io.latchkey.agent.command;

import io.latchkey.protocol.command.CommandAck;

/** One line of the command history file: an id begun ({@code ack == null}) or completed. */
record HistoryEntry(String id, CommandAck ack) {
}
