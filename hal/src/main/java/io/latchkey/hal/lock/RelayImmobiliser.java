package io.latchkey.hal.lock;

import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.gpio.DigitalOutput;
import java.util.Objects;
import java.util.Optional;

/**
 * An immobiliser relay held energised while immobilised. With a feedback input (a contact on the
 * switched circuit, active while it is cut) the state is read from it; without one, from the output
 * line read back, which proves that the pin was driven but not that the relay moved.
 */
public final class RelayImmobiliser implements Immobiliser {
    private final DigitalOutput relay;
    private final Optional<DigitalInput> cutFeedback;

    public RelayImmobiliser(DigitalOutput relay, Optional<DigitalInput> cutFeedback) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.cutFeedback = Objects.requireNonNull(cutFeedback, "cutFeedback");
    }

    public RelayImmobiliser(DigitalOutput relay) {
        this(relay, Optional.empty());
    }

    @Override
    public synchronized void immobilise() {
        relay.set(true);
    }

    @Override
    public synchronized void mobilise() {
        relay.set(false);
    }

    @Override
    public boolean isImmobilised() {
        return cutFeedback.map(DigitalInput::isActive).orElseGet(relay::isOn);
    }

    /** Whether the state comes from a feedback contact rather than the relay line. */
    public boolean hasFeedback() {
        return cutFeedback.isPresent();
    }
}
