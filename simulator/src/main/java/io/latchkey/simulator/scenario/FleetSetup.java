package io.latchkey.simulator.scenario;

import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Sets up a tenant for a scenario through the public API only, quietly and a few requests at a time:
 * the platform admin creates the tenant and its admin, who adds an operator; borrowers register
 * themselves; the operator registers the cars; the devices read the discovery document.
 */
public final class FleetSetup {
    /** What was set up. */
    public record Result(String tenant, Session operator, List<Session> borrowers, List<CarDetail> cars,
                         DeviceDiscovery discovery, java.util.Map<String, io.latchkey.simulator.api.DeviceEnrolment.EnrolledDevice> devices) {
        /** The enrolled key and certificate of {@code car}'s device. */
        public io.latchkey.simulator.api.DeviceEnrolment.EnrolledDevice device(CarDetail car) {
            return devices.get(car.deviceId());
        }
    }

    private static final int PARALLEL = 16;
    /** Cars per registration request (the backend takes up to 1000). */
    static final int CAR_BATCH = 500;

    private final LatchkeyClient api;
    private final Clock clock;
    private final PrintStream out;
    private final SecureRandom secrets = new SecureRandom();

    public FleetSetup(LatchkeyClient api, Clock clock, PrintStream out) {
        this.api = api;
        this.clock = clock;
        this.out = out;
    }

    public Result run(String adminUser, String adminPassword, String tenantPrefix, int cars, int borrowers) {
        String platform = api.platformToken(adminUser, adminPassword).access_token();
        String tenant = createTenant(platform, tenantPrefix);
        String adminEmail = "admin@" + tenant + ".example";
        String adminPw = password();
        api.createTenantAdmin(platform, tenant, adminEmail, "Tenant Admin", adminPw);
        Session admin = new Session(api, tenant, adminEmail, adminPw, clock);
        String operatorPw = password();
        api.register(tenant, admin.token(), "operator@" + tenant + ".example", "Olivia Operator", operatorPw, List.of("operator"));
        Session operator = new Session(api, tenant, "operator@" + tenant + ".example", operatorPw, clock);
        operator.token();
        out.printf("  tenant %s with an admin and an operator%n", tenant);
        List<Session> people = parallel(borrowers, i -> {
            String email = "borrower-" + i + "@" + tenant + ".example";
            String pw = password();
            api.register(tenant, null, email, "Borrower " + i, pw, null);
            Session s = new Session(api, tenant, email, pw, clock);
            s.token();
            return s;
        });
        out.printf("  %d borrower(s) registered themselves and signed in%n", people.size());
        long registerStart = System.nanoTime();
        // in batches (POST /cars/batch): a fleet of 10,000 in 20 requests, not 10,000
        int batches = (cars + CAR_BATCH - 1) / CAR_BATCH;
        List<CarDetail> registered = parallel(batches, b -> api.createCars(operator.token(), tenant,
                java.util.stream.IntStream.range(b * CAR_BATCH, Math.min(cars, (b + 1) * CAR_BATCH))
                        .mapToObj(i -> new LatchkeyClient.NewCar("Car " + (i + 1), "LK " + (10_000 + i), deviceId(tenant, i + 1)))
                        .toList())).stream().flatMap(List::stream).toList();
        out.printf("  %d car(s) registered by the operator (%.1f s)%n", registered.size(), (System.nanoTime() - registerStart) / 1e9);
        long enrolStart = System.nanoTime();
        var devices = new io.latchkey.simulator.api.DeviceEnrolment(api).enrol(admin.token(), tenant, registered);
        out.printf("  %d device(s) enrolled: own key, certificate from the tenant's device CA (%.1f s)%n", devices.size(),
                (System.nanoTime() - enrolStart) / 1e9);
        DeviceDiscovery discovery = api.deviceDiscovery(tenant);
        return new Result(tenant, operator, people, registered, discovery, devices);
    }

    private <T> List<T> parallel(int n, IntFunction<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.apply(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during set-up", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private String createTenant(String platformToken, String prefix) {
        String id = prefix;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                api.createTenant(platformToken, id, "Latchkey " + id);
                return id;
            } catch (ApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                id = prefix + "-" + HexFormat.of().toHexDigits(secrets.nextInt()).substring(0, 6);
            }
        }
        throw new ScenarioException("could not find a free tenant id starting with " + prefix);
    }

    static String deviceId(String tenant, int i) {
        String id = tenant + "-dev-" + i;
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }

    private String password() {
        byte[] bytes = new byte[15];
        secrets.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
