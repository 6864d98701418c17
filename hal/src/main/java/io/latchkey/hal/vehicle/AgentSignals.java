package io.latchkey.hal.vehicle;

/**
 * Signals the agent's own inputs add beside the car's VSS signals. VSS has no standard name for a key
 * holder or a tamper contact, so these are Latchkey's, in the VSS style.
 */
public final class AgentSignals {
    /** 1 while the key is in its holder (glovebox key safe). */
    public static final String KEY_IN_HOLDER = "Vehicle.Cabin.IsKeyInHolder";
    /** 1 while the tamper contact (device housing, OBD connector) is open. */
    public static final String TAMPERED = "Vehicle.Body.IsTampered";

    private AgentSignals() {
    }
}
