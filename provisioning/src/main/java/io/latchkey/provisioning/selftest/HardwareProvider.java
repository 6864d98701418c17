package io.latchkey.provisioning.selftest;

import java.nio.file.Path;

/**
 * Opens the device's real hardware for the self-test. Found with {@link java.util.ServiceLoader} on the
 * device (the agent's HAL wiring provides one); the simulated provider is never found that way, it
 * has to be chosen with {@code --simulated}.
 */
public interface HardwareProvider {
    String name();

    /** Opens the hardware described by the bundle's configuration; throws {@link io.latchkey.hal.HalException} if it cannot. */
    Hardware open(Path bundle);
}
