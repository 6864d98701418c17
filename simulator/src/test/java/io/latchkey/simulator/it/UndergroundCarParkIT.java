package io.latchkey.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.UndergroundCarPark;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's scenario against the real backend in the test JVM: a phone key opens and locks a simulated car whose
 * network is cut, refused keys stay refused, and the uses reach the audit trail once the car is back online.
 */
class UndergroundCarParkIT {
    @TempDir
    Path backendDir;
    @TempDir
    Path agentsDir;

    @Test
    void aPhoneKeyOpensTheBookedCarWithNoNetwork_andEachUseIsAuditedOnceItIsBack() {
        try (Backend backend = new Backend(backendDir, Map.of("latchkey.commands.timeout", "2s"));
             UndergroundCarPark scenario = new UndergroundCarPark(new LatchkeyClient(backend.url(), Duration.ofSeconds(30)),
                     System.out, Clock.systemUTC(), new SplittableRandom(14))) {
            UndergroundCarPark.Result result = scenario.run(new TenantBootstrap.Options(Backend.ADMIN_USER, Backend.ADMIN_PASSWORD,
                    "underground", 1, Duration.ofMillis(50), agentsDir, Duration.ofSeconds(20), Duration.ofSeconds(1),
                    Duration.ofSeconds(10)));

            assertThat(result.steps()).allSatisfy(step -> assertThat(step.ok()).as(step.title() + ": " + step.detail()).isTrue());
            assertThat(result.ok()).isTrue();
            assertThat(result.steps()).extracting(Steps.Step::title)
                    .anyMatch(t -> t.startsWith("The car is parked underground"))
                    .anyMatch(t -> t.startsWith("Borrower unlocks by BLE with no network"))
                    .anyMatch(t -> t.startsWith("Borrower locks with the phone's QR code"))
                    .anyMatch(t -> t.startsWith("The lost phone tries to unlock"))
                    .anyMatch(t -> t.startsWith("A stranger's phone presents a copy"))
                    .anyMatch(t -> t.startsWith("The tenant's audit trail shows each offline use"));
            SimulatedCar car = result.world().simulatedCar(0);
            assertThat(car.unlockActivations()).as("unlock relay: the phone's BLE unlock only").isEqualTo(1);
            assertThat(car.lockActivations()).as("lock relay: the phone's QR lock only").isEqualTo(1);
            assertThat(car.isLocked()).isTrue();
            assertThat(car.odometerKm()).as("the car was driven").isGreaterThan(0);
        }
    }
}
