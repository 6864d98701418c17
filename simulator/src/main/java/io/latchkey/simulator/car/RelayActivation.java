package io.latchkey.simulator.car;

import java.time.Instant;

/** A lock or unlock relay energising, with the true (simulator) time it happened. */
public record RelayActivation(Kind kind, Instant at) {
    public enum Kind { UNLOCK, LOCK }
}
