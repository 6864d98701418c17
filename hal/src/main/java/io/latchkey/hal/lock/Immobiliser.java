package io.latchkey.hal.lock;

/**
 * The immobiliser relay: while immobilised, the car's starter (or fuel pump) circuit is held open so
 * that it cannot be started. The agent decides whether it is safe to switch (never while moving);
 * this interface only switches and reports.
 */
public interface Immobiliser {
    /** Energises the relay. Throws {@link io.latchkey.hal.HalException} if the relay cannot be driven. */
    void immobilise();

    /** Releases the relay. Throws {@link io.latchkey.hal.HalException} if the relay cannot be driven. */
    void mobilise();

    /** Whether the car is immobilised, from feedback where the wiring has it, else from the relay line read back. */
    boolean isImmobilised();
}
