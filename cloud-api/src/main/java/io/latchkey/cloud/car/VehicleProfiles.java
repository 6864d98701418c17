package io.latchkey.cloud.car;

import java.util.List;

/**
 * The vehicle profiles a car may name: the profiles built into the device's HAL
 * ({@code io.latchkey.hal.can.VehicleProfile.BUILT_IN}, {@code hal/src/main/resources/profiles/}). The backend
 * does not link the HAL; a test keeps this list equal to it.
 */
public final class VehicleProfiles {
    public static final List<String> BUILT_IN = List.of("hyundai_i30_2014", "ford_cgea1_2_bodycan_2011", "tesla_model_s",
            "gm_global_a_lowspeed_ev");

    private VehicleProfiles() {
    }

    public static boolean isBuiltIn(String name) {
        return BUILT_IN.contains(name);
    }
}
