package io.latchkey.simulator.audit;

import io.latchkey.agent.command.CommandHistory;
import io.latchkey.protocol.command.CommandAck;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's command history as the simulator sees it: every call goes to the real one, and the
 * ledger notes when each "begun" record was started and when it was durable (the call returned), on
 * the simulator's clock, so the bench can split the car's leg of an unlock into the wait before the
 * record, the forced record itself, and the relay with the answer.
 */
public final class ObservedHistory implements CommandHistory {
    private final CommandHistory inner;
    private final CarLedger ledger;

    public ObservedHistory(CommandHistory inner, CarLedger ledger) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    @Override
    public Optional<CommandAck> find(String commandId) {
        return inner.find(commandId);
    }

    @Override
    public void begin(String commandId) {
        Instant started = ledger.clock().instant();
        inner.begin(commandId);
        ledger.begun(commandId, started);
    }

    @Override
    public void complete(CommandAck ack) {
        inner.complete(ack);
    }

    @Override
    public void close() {
        inner.close();
    }
}
