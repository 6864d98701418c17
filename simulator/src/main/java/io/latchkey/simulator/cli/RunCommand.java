package io.latchkey.simulator.cli;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.simulator.api.ApiTypes.Car;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.scenario.AgentConfigs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Simulates every car of a tenant (the real agent on simulated hardware) until Ctrl-C.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--tenant", required = true, description = "tenant id")
    String tenant;

    @Option(names = "--user", required = true, description = "an operator's e-mail (to list the tenant's cars)")
    String user;

    @Option(names = "--password", required = true, description = "the operator's password")
    String password;

    @Option(names = "--pulse-ms", defaultValue = "200", description = "relay pulse length in ms (default ${DEFAULT-VALUE})")
    long pulseMs;

    @Override
    public Integer call() throws InterruptedException {
        common.applyLogging();
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(30));
        String token = api.tenantToken(tenant, user, password).access_token();
        List<Car> cars = api.cars(token, tenant);
        if (cars.isEmpty()) {
            System.err.println("run: tenant " + tenant + " has no cars");
            return 1;
        }
        io.latchkey.simulator.fleet.FileHandleBudget.require(cars.size(), false);
        DeviceDiscovery discovery = api.deviceDiscovery(tenant);
        Path dataDir = common.dataDir("latchkey-sim");
        SplittableRandom random = new SplittableRandom();
        Clock clock = Clock.systemUTC();
        Fleet fleet = new Fleet(Fleet.Options.defaults());
        CarFactory factory = new CarFactory(new CarProfiles(), new GeoPoint(52.52, 13.405), 1_500, clock,
                Duration.ofMillis(pulseMs), random.nextLong());
        java.util.List<CarDetail> details = cars.stream().map(c -> api.car(token, tenant, c.id())).toList();
        // each car gets its own key and certificate (the user must be an installer or tenant-admin)
        var devices = new io.latchkey.simulator.api.DeviceEnrolment(api).enrol(token, tenant, details);
        int index = 0;
        for (CarDetail car : details) {
            AgentConfig config = AgentConfigs.fromDiscovery(discovery, devices.get(car.deviceId()), dataDir, Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
            fleet.add(config, factory.create(car.deviceId(), index++));
            System.out.printf("car %-12s device %-24s starting%n", car.id(), car.deviceId());
        }
        boolean connected = fleet.awaitConnected(Duration.ofSeconds(30));
        System.out.printf("%d car(s) of tenant %s %s to %s; data under %s. Ctrl-C to stop.%n", fleet.size(), tenant,
                connected ? "connected" : "still connecting", discovery.mqttUrl(), dataDir);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stop.countDown();
        }, "simulator-shutdown"));
        stop.await();
        return 0;
    }
}
