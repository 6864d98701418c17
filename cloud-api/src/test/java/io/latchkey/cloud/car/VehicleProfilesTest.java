package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.can.VehicleProfile;
import org.junit.jupiter.api.Test;

class VehicleProfilesTest {
    @Test
    void theBackendKnowsExactlyTheHalsBuiltInProfiles() {
        assertThat(VehicleProfiles.BUILT_IN).containsExactlyInAnyOrderElementsOf(VehicleProfile.BUILT_IN);
        VehicleProfiles.BUILT_IN.forEach(VehicleProfile::builtIn);
    }
}
