package io.latchkey.simulator.cli;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.UndergroundCarPark;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "underground-car-park", mixinStandardHelpOptions = true,
        description = {"Offline digital keys end to end (docs/offline-keys.md): bootstraps a tenant with one simulated car",
                "behind a fault relay; a borrower books it and their virtual phone gets a key credential from the backend;",
                "the car's network is cut; the phone unlocks it by BLE, the car is driven, the phone locks it by QR code;",
                "a revoked (lost) phone and a copied credential are refused at the car; the network returns and the tenant's",
                "audit trail and the car's events show each use once, in order. Exit code 0 only if every step did what it should."})
public final class UndergroundCarParkCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    AdminOptions admin;

    @Option(names = "--tenant", defaultValue = "underground", description = "tenant id to create; a suffixed one if taken (default ${DEFAULT-VALUE})")
    String tenant;

    @Option(names = "--pulse-ms", defaultValue = "200", description = "relay pulse length in ms (default ${DEFAULT-VALUE})")
    long pulseMs;

    @Option(names = "--timeout-s", defaultValue = "30", description = "how long to wait for cars, events and audit records (default ${DEFAULT-VALUE})")
    long timeoutS;

    @Override
    public Integer call() {
        common.applyLogging();
        if (admin.missing() != null) {
            System.err.println("underground-car-park: " + admin.missing());
            return 2;
        }
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(60));
        TenantBootstrap.Options options = new TenantBootstrap.Options(admin.user, admin.password, tenant, 1,
                Duration.ofMillis(pulseMs), common.dataDir("latchkey-underground"), Duration.ofSeconds(timeoutS),
                Duration.ofSeconds(1), Duration.ofSeconds(10));
        try (UndergroundCarPark scenario = new UndergroundCarPark(api, System.out, Clock.systemUTC(), new SplittableRandom())) {
            return scenario.run(options).ok() ? 0 : 1;
        }
    }
}
