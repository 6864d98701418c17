package io.latchkey.simulator.bench;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.rollout.BackendSetup;
import io.latchkey.simulator.rollout.FleetRollout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * {@code sim rollout --backend}: the rollout against the real backend as a child process (cloud-api from its build
 * output) and the simulator's broker as another, as {@code sim bench} runs them; the backend goes over its rollouts
 * every second ({@code latchkey.ota.tick}) instead of every 30 s.
 */
public final class RolloutBench {
    private RolloutBench() {
    }

    public static FleetRollout.Result run(Path cloudApiTarget, String backendHeap, FleetRollout.Options o, PrintStream out) throws Exception {
        Files.createDirectories(o.workDir());
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        String adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        out.printf("work directory %s (logs: broker.log, backend.log)%n", o.workDir());
        try (BrokerProcess broker = new BrokerProcess(freePort(), o.workDir().resolve("broker"), o.workDir().resolve("broker.log"));
             BackendProcess backend = new BackendProcess(cloudApiTarget, freePort(), broker.url(), o.workDir().resolve("backend-data"),
                     adminPassword, Duration.ofSeconds(10), backendHeap,
                     List.of("-Dlatchkey.ota.tick=1s", "-Dlatchkey.ota.reoffer=30s"), o.workDir().resolve("backend.log"))) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(60));
            int rentals = (int) Math.round(o.rentals() * o.cars());
            BackendSetup setup = new BackendSetup(api, "admin", adminPassword, o.cars(), rentals, out);
            return new FleetRollout(o, out).run(setup);
        }
    }

    private static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }
}
