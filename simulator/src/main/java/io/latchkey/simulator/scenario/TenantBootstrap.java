package io.latchkey.simulator.scenario;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.fleet.Fleet;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Sets up a tenant from nothing through the public API only, as a new customer would: the platform
 * admin creates the tenant and its admin; the admin adds an operator; two borrowers register
 * themselves; the operator registers the cars; each simulated car's agent is configured from the
 * tenant's device discovery document (broker URL, pinned command keys) and started in the fleet;
 * finally the operator sees every car online.
 */
public final class TenantBootstrap {
    /** Inputs; {@code tenantId} is tried first and a suffixed one used if it is taken. */
    public record Options(String adminUser, String adminPassword, String tenantId, int cars, Duration relayPulse,
                          Path dataDir, Duration onlineTimeout, Duration movingInterval, Duration parkedInterval) {
        public Options {
            Objects.requireNonNull(adminUser, "adminUser");
            Objects.requireNonNull(adminPassword, "adminPassword");
            if (cars < 1) {
                throw new IllegalArgumentException("at least one car");
            }
        }
    }

    private static final double HOME_LAT = 52.5200;
    private static final double HOME_LON = 13.4050;

    private final LatchkeyClient api;
    private final Steps steps;
    private final Clock clock;
    private final RandomGenerator random;
    private final SecureRandom secrets = new SecureRandom();

    public TenantBootstrap(LatchkeyClient api, Steps steps, Clock clock, RandomGenerator random) {
        this.api = api;
        this.steps = steps;
        this.clock = clock;
        this.random = random;
    }

    public World run(Options o, Fleet fleet) {
        return run(o, discovery -> fleet);
    }

    /**
     * As {@link #run(Options, Fleet)}, with the fleet made once the broker is known from the tenant's device discovery
     * document (a fleet behind a {@link io.latchkey.simulator.net.FleetNetwork} needs it to relay to).
     */
    public World run(Options o, java.util.function.Function<DeviceDiscovery, Fleet> fleetFor) {
        String platform = steps.run("Platform admin signs in (POST /platform/oauth/token)",
                () -> api.platformToken(o.adminUser(), o.adminPassword()).access_token());
        String tenant = steps.run("Platform admin creates tenant '" + o.tenantId() + "' (POST /platform/tenants)",
                () -> createTenant(platform, o.tenantId()));
        String adminEmail = "admin@" + tenant + ".example";
        String adminPassword = password();
        String admin = steps.run("Tenant admin is created and signs in", () -> {
            api.createTenantAdmin(platform, tenant, adminEmail, "Tenant Admin", adminPassword);
            return api.tenantToken(tenant, adminEmail, adminPassword).access_token();
        });
        World.SignIn operatorSignIn = new World.SignIn("operator@" + tenant + ".example", password());
        String operator = steps.run("Tenant admin adds an operator, who signs in",
                () -> user(tenant, admin, operatorSignIn.email(), "Olivia Operator", List.of("operator"), operatorSignIn.password()));
        World.SignIn borrowerSignIn = new World.SignIn("borrower@" + tenant + ".example", password());
        String borrower = steps.run("A borrower registers (self-registration) and signs in",
                () -> user(tenant, null, borrowerSignIn.email(), "Ben Borrower", null, borrowerSignIn.password()));
        String stranger = steps.run("A second borrower, who will book nothing, registers and signs in",
                () -> user(tenant, null, "stranger@" + tenant + ".example", "Sam Stranger", null));
        List<CarDetail> registered = steps.run("Operator registers " + o.cars() + " car(s) with their device ids", () -> {
            List<CarDetail> created = new ArrayList<>();
            for (int i = 1; i <= o.cars(); i++) {
                CarDetail car = api.createCar(operator, tenant, "Car " + i, "B-LK " + (1000 + i), deviceId(tenant, i));
                steps.detail("%s  %-8s plate %-10s device %s", car.id(), car.name(), car.plate(), car.deviceId());
                created.add(car);
            }
            return created;
        });
        DeviceDiscovery discovery = steps.run("Devices read /t/" + tenant + "/.well-known/latchkey-device", () -> {
            DeviceDiscovery d = api.deviceDiscovery(tenant);
            Steps.check(d != null && d.mqttUrl() != null, "no mqttUrl in the device discovery document");
            Steps.check(d.commandKeys() != null && !d.commandKeys().isEmpty(), "no command keys in the device discovery document");
            steps.detail("broker %s, command keys %s", d.mqttUrl(), d.commandKeys().stream().map(k -> k.kid()).toList());
            return d;
        });
        CarFactory cars = new CarFactory(new CarProfiles(), new GeoPoint(HOME_LAT, HOME_LON), 1_500, clock, o.relayPulse(),
                random.nextLong());
        var devices = steps.run("Each device is enrolled: its own key, a certificate from the tenant's device CA"
                + " (POST /t/" + tenant + "/devices/{id}/certificate)", () -> new io.latchkey.simulator.api.DeviceEnrolment(api)
                .enrol(admin, tenant, registered));
        Fleet fleet = fleetFor.apply(discovery);
        steps.run("Simulated cars start their agents (keys pinned) and connect", () -> {
            for (int i = 0; i < registered.size(); i++) {
                AgentConfig config = AgentConfigs.fromDiscovery(discovery, devices.get(registered.get(i).deviceId()), o.dataDir(),
                        o.movingInterval(), o.parkedInterval());
                fleet.add(config, cars.create(config.deviceId(), i));
            }
            Steps.check(fleet.awaitConnected(o.onlineTimeout()), "not every agent connected to %s within %s",
                    discovery.mqttUrl(), o.onlineTimeout());
        });
        steps.run("Operator sees every car online, and where it is parked", () -> {
            for (CarDetail car : registered) {
                Polling.until(o.onlineTimeout(), () -> {
                    CarDetail c = api.car(operator, tenant, car.id());
                    return c.state() != null && Boolean.TRUE.equals(c.state().online());
                }, "car " + car.id() + " (device " + car.deviceId() + ") is not reported online");
                // online comes with the connection; the position with the car's first telemetry, a moment later
                Polling.until(o.onlineTimeout(), () -> {
                    CarDetail c = api.car(operator, tenant, car.id());
                    return c.state() != null && c.state().lat() != null;
                }, "car " + car.id() + " (device " + car.deviceId() + ") has not reported its position");
            }
            steps.detail("%d car(s) online, each with its position", registered.size());
        });
        return new World(tenant, admin, operator, borrower, stranger, discovery, registered, fleet, borrowerSignIn, operatorSignIn);
    }

    private String createTenant(String platformToken, String preferred) {
        String id = preferred;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                api.createTenant(platformToken, id, "Latchkey " + id);
                steps.detail("tenant id: %s", id);
                return id;
            } catch (ApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                steps.detail("'%s' exists already, trying another id", id);
                id = preferred + "-" + HexFormat.of().toHexDigits(secrets.nextInt()).substring(0, 6);
            }
        }
        throw new Steps.StepFailed("could not find a free tenant id");
    }

    private String user(String tenant, String adminToken, String email, String name, List<String> roles) {
        return user(tenant, adminToken, email, name, roles, password());
    }

    private String user(String tenant, String adminToken, String email, String name, List<String> roles, String password) {
        api.register(tenant, adminToken, email, name, password, roles);
        return api.tenantToken(tenant, email, password).access_token();
    }

    private static String deviceId(String tenant, int i) {
        String id = tenant + "-dev-" + i;
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }

    private String password() {
        byte[] bytes = new byte[15];
        secrets.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
