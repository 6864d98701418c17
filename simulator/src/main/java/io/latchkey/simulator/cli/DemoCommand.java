package io.latchkey.simulator.cli;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.mail.DemoMailbox;
import io.latchkey.simulator.scenario.Demo;
import io.latchkey.simulator.scenario.DemoTraffic;
import io.latchkey.simulator.scenario.TenantBootstrap;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Bootstraps a tenant with an operator, borrowers and simulated cars through the public API, then",
                "tells a rental: find a free car, book it, unlock (the rental starts), drive a short trip, try to end",
                "with a door open (refused), close it, end (the car locks), the receipt and the borrower's mail.",
                "Exit code 0 only if every step did what it should."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    AdminOptions admin;

    @Option(names = "--cars", defaultValue = "3", description = "simulated cars (default ${DEFAULT-VALUE})")
    int cars;

    @Option(names = "--tenant", defaultValue = "demo", description = "tenant id to create; a suffixed one if taken (default ${DEFAULT-VALUE})")
    String tenant;

    @Option(names = "--pulse-ms", defaultValue = "200", description = "relay pulse length in ms (default ${DEFAULT-VALUE})")
    long pulseMs;

    @Option(names = "--timeout-s", defaultValue = "30", description = "how long to wait for cars and state (default ${DEFAULT-VALUE})")
    long timeoutS;

    @Option(names = "--backend-data-dir", description = "the backend's data directory (a backend on this machine): without"
            + " --smtp-port the receipt mail is seen queued and sealed in its outbox file; with it, gone from there once mailed;"
            + " unset: not looked at")
    java.nio.file.Path backendDataDir;

    @Option(names = "--smtp-port", description = "run the demo's mailbox, a real SMTP server on 127.0.0.1 at this port, that"
            + " the backend mails to (latchkey.mail.smtp.host=127.0.0.1, latchkey.mail.smtp.port, latchkey.mail.smtp.tls=none):"
            + " the receipt step shows the mail the borrower received; unset: no mailbox")
    Integer smtpPort;

    @Option(names = "--keep", description = "after a successful run, stay up until interrupted (Ctrl-C), some cars rented and driving round, the others parked, so a person can use the console and the borrower app")
    boolean keep;

    @Override
    public Integer call() throws InterruptedException {
        common.applyLogging();
        if (admin.missing() != null) {
            System.err.println("demo: " + admin.missing());
            return 2;
        }
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(30));
        TenantBootstrap.Options options = new TenantBootstrap.Options(admin.user, admin.password, tenant, cars,
                Duration.ofMillis(pulseMs), common.dataDir("latchkey-demo"), Duration.ofSeconds(timeoutS),
                Duration.ofSeconds(1), Duration.ofSeconds(10));
        if (smtpPort != null && (smtpPort < 1 || smtpPort > 65535)) {
            System.err.println("demo: --smtp-port must be 1..65535, got " + smtpPort);
            return 2;
        }
        // the mailbox is up before the tenant exists, so the backend's first message already finds it
        DemoMailbox started;
        try {
            started = smtpPort == null ? null : DemoMailbox.start(smtpPort);
        } catch (IllegalStateException e) {
            System.err.println("demo: " + e.getMessage());
            return 1;
        }
        try (DemoMailbox mailbox = started;
             Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            Demo.Result result = new Demo(api, System.out, Clock.systemUTC(), new SplittableRandom(), backendDataDir, mailbox)
                    .run(options, fleet);
            if (result.ok() && keep) {
                System.out.println();
                try (DemoTraffic traffic = new DemoTraffic(api, System.out, Clock.systemUTC(), new SplittableRandom())) {
                    java.util.List<String> moving = traffic.start(result.world());
                    System.out.println("Staying up with " + cars + " simulated cars: " + (moving.isEmpty() ? "all parked"
                            : moving.size() + " rented by the demo's second borrower and driving round (" + String.join(", ", moving)
                            + "), the others parked and free to book") + "."
                            + (mailbox == null ? "" : " The backend's mail goes to the demo's mailbox (" + mailbox + "), which keeps it in memory.")
                            + " Press Ctrl-C to stop.");
                    new java.util.concurrent.CountDownLatch(1).await();
                }
            }
            return result.ok() ? 0 : 1;
        }
    }
}
