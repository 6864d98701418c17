package io.latchkey.agent.command;

import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A bounded history that forgets on restart; for tests, and the base of {@link FileCommandHistory}. */
public class InMemoryCommandHistory implements CommandHistory {
    private final Map<String, HistoryEntry> entries;
    private final String deviceId;
    private final Clock clock;

    public InMemoryCommandHistory(int capacity, String deviceId, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.deviceId = deviceId;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, HistoryEntry> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized Optional<CommandAck> find(String commandId) {
        HistoryEntry e = entries.get(commandId);
        if (e == null) {
            return Optional.empty();
        }
        if (e.ack() == null) {
            return Optional.of(new CommandAck(commandId, null, deviceId, CommandOutcome.FAILED, INTERRUPTED,
                    null, null, false, clock.instant()));
        }
        return Optional.of(e.ack());
    }

    @Override
    public synchronized void begin(String commandId) {
        remember(new HistoryEntry(commandId, null));
    }

    @Override
    public synchronized void complete(CommandAck ack) {
        remember(new HistoryEntry(ack.commandId(), ack));
    }

    /** Adds or replaces an entry; subclasses persist it first. */
    protected synchronized void remember(HistoryEntry entry) {
        entries.remove(entry.id());
        entries.put(entry.id(), entry);
    }

    protected synchronized Iterable<HistoryEntry> snapshot() {
        return java.util.List.copyOf(entries.values());
    }

    protected synchronized int size() {
        return entries.size();
    }

    @Override
    public void close() {
    }
}
