package io.latchkey.agent.ota;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.latchkey.agent.MutableClock;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.device.DeviceKeys;
import io.latchkey.protocol.device.DeviceSigner;
import io.latchkey.protocol.ota.OtaOffer;
import io.latchkey.protocol.ota.OtaState;
import io.latchkey.protocol.ota.OtaStatus;
import io.latchkey.protocol.ota.SignedOtaStatus;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's side of an update, end to end on the file system and a real HTTP server: the statuses it signs, the
 * window and the busy car it waits for, the install and restart, the new release marking itself good (UPDATED) or
 * missing its self-test and coming back (ROLLED_BACK), and a refused offer that costs no download.
 */
class OtaServiceTest {
    @TempDir
    Path tmp;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    final List<OtaStatus> statuses = new CopyOnWriteArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z")); // outside the 01:00-05:00 window
    final AtomicBoolean inUse = new AtomicBoolean(false);
    final AtomicInteger restarts = new AtomicInteger();
    ScheduledExecutorService scheduler;
    KeyPair device;
    Path ota;
    Path bundle;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        device = g.generateKeyPair();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        ota = tmp.resolve("ota");
        bundle = Releases.bundle(tmp, "acme", "0.3.0", false);
        byte[] bytes = Files.readAllBytes(bundle);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/b.zip", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/b.zip";
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        scheduler.shutdownNow();
    }

    private OtaService service(OtaService.Running running) {
        OtaSettings settings = new OtaSettings(LocalTime.of(1, 0), LocalTime.of(5, 0), ZoneId.of("UTC"), Duration.ofMillis(300),
                10_000_000, 3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20));
        Slots slots = new Slots(ota);
        return new OtaService(new OtaService.Identity("acme", "dev-001", new DeviceSigner(device.getPrivate())),
                new UpdateVerifier(Map.of("upd-1", Releases.UPDATE_KEY.getPublic()), "acme", 1), slots,
                new Downloader(Duration.ofSeconds(5), new DownloadBudget(ota.resolve("budget"), 10_000_000, clock), d -> { }, 3,
                        Duration.ofMillis(1), Duration.ofMillis(5)),
                running, inUse::get, settings, clock, scheduler, payload -> {
                    statuses.add(SignedOtaStatus.verify(payload, DeviceKeys.verification(device.getPublic()), "acme", "dev-001"));
                    return CompletableFuture.completedFuture(null);
                }, restarts::incrementAndGet);
    }

    private byte[] offer(Path bundlePath, String version) throws Exception {
        return Json.write(new OtaOffer("rollout-1", version, url, Files.size(bundlePath), UpdateBundle.sha256(bundlePath),
                UpdateBundle.manifestOf(bundlePath)));
    }

    @Test
    void anOffer_isDownloadedAndVerified_waitsForTheWindowAndAnIdleCar_thenInstalls_andTheNewReleaseReportsUpdated() throws Exception {
        Path factory = Releases.release(tmp.resolve("opt"), "0.2.0");
        OtaService old = service(new OtaService.Running("factory", factory, "0.2.0"));
        old.start();
        old.offer(offer(bundle, "0.3.0"));
        await(() -> states().contains(OtaState.VERIFIED));
        Thread.sleep(100);
        assertThat(states()).containsExactly(OtaState.DOWNLOADING, OtaState.DOWNLOADED, OtaState.VERIFIED);
        assertThat(restarts).hasValue(0);

        inUse.set(true);
        clock.set(Instant.parse("2026-12-07T02:00:00Z")); // in the window, but the car is in use
        Thread.sleep(100);
        assertThat(states()).doesNotContain(OtaState.INSTALLING);
        inUse.set(false);
        await(() -> restarts.get() == 1);
        assertThat(states()).containsExactly(OtaState.DOWNLOADING, OtaState.DOWNLOADED, OtaState.VERIFIED, OtaState.INSTALLING);
        assertThat(new Slots(ota).trial()).isPresent();
        assertThat(requests).hasValue(1);
        old.close();

        // the launcher starts the new release on trial: it connects, marks itself good, says UPDATED once
        Path trialDir = new Slots(ota).trial().orElseThrow();
        OtaService updated = service(new OtaService.Running("trial", trialDir, "0.3.0"));
        updated.start();
        updated.connected();
        await(() -> states().contains(OtaState.UPDATED));
        OtaStatus last = statuses.get(statuses.size() - 1);
        assertThat(last.rolloutId()).isEqualTo("rollout-1");
        assertThat(last.running()).isEqualTo("0.3.0");
        assertThat(new Slots(ota).current()).contains(trialDir);
        assertThat(new Slots(ota).trial()).isEmpty();
        assertThat(new Slots(ota).pending()).isEmpty();
        Thread.sleep(400); // past the self-test time: nothing rolls back
        assertThat(restarts).hasValue(1);
        updated.connected();
        Thread.sleep(50);
        assertThat(states().stream().filter(s -> s == OtaState.UPDATED).count()).isEqualTo(1);
    }

    @Test
    void aRepeatOfTheOfferInstalled_isIgnoredOnTrial_notAnsweredBusy() throws Exception {
        clock.set(Instant.parse("2026-12-07T02:00:00Z"));
        OtaService old = service(new OtaService.Running("factory", null, "0.2.0"));
        old.offer(offer(bundle, "0.3.0"));
        await(() -> restarts.get() == 1);
        old.close();

        // the backend did not hear INSTALLING (the old process was restarting) and offers again while the trial starts
        OtaService trial = service(new OtaService.Running("trial", new Slots(ota).trial().orElseThrow(), "0.3.0"));
        trial.start();
        trial.offer(offer(bundle, "0.3.0"));
        Thread.sleep(50);
        assertThat(states()).doesNotContain(OtaState.FAILED);
        trial.connected();
        await(() -> states().contains(OtaState.UPDATED));
        assertThat(states()).doesNotContain(OtaState.FAILED);
        trial.close();
    }

    @Test
    void aReleaseThatNeverConnects_rollsItselfBack_andThePreviousReleaseReportsIt() throws Exception {
        clock.set(Instant.parse("2026-12-07T02:00:00Z"));
        OtaService old = service(new OtaService.Running("factory", null, "0.2.0"));
        old.offer(offer(bundle, "0.3.0"));
        await(() -> restarts.get() == 1);
        old.close();

        OtaService bad = service(new OtaService.Running("trial", new Slots(ota).trial().orElseThrow(), "0.3.0"));
        bad.start(); // never connects
        await(() -> restarts.get() == 2);
        assertThat(new Slots(ota).trial()).isEmpty();
        bad.close();

        OtaService back = service(new OtaService.Running("factory", null, "0.2.0"));
        back.start();
        back.connected();
        await(() -> states().contains(OtaState.ROLLED_BACK));
        OtaStatus last = statuses.get(statuses.size() - 1);
        assertThat(last.reason()).startsWith("SELFTEST_TIMEOUT");
        assertThat(last.running()).isEqualTo("0.2.0");
        assertThat(new Slots(ota).pending()).isEmpty();
    }

    @Test
    void aForeignOrOlderRelease_isRefusedBeforeAnyByteIsFetched() throws Exception {
        OtaService s = service(new OtaService.Running("factory", null, "0.4.0"));
        s.offer(offer(bundle, "0.3.0"));
        s.offer(Json.write(new OtaOffer("rollout-2", "0.5.0", url, Files.size(bundle), UpdateBundle.sha256(bundle),
                UpdateBundle.manifestOf(Releases.bundle(tmp, "globex", "0.5.0", false)))));
        await(() -> statuses.size() == 2);
        assertThat(states()).containsExactly(OtaState.FAILED, OtaState.FAILED);
        assertThat(statuses.get(0).reason()).startsWith("DOWNGRADE");
        assertThat(statuses.get(1).reason()).startsWith("WRONG_TENANT");
        assertThat(requests).hasValue(0);
    }

    @Test
    void aBundleThatIsNotTheOfferedOne_fails_andNothingIsInstalled() throws Exception {
        clock.set(Instant.parse("2026-12-07T02:00:00Z"));
        Path other = Releases.bundle(tmp, "acme", "0.3.1", false);
        OtaService s = service(new OtaService.Running("factory", null, "0.2.0"));
        // the offer names 0.3.1's manifest but the server has 0.3.0's bundle, with its size and hash
        s.offer(Json.write(new OtaOffer("rollout-3", "0.3.1", url, Files.size(bundle), UpdateBundle.sha256(bundle),
                UpdateBundle.manifestOf(other))));
        await(() -> states().contains(OtaState.FAILED));
        assertThat(statuses.get(statuses.size() - 1).reason()).startsWith("OFFER_MISMATCH");
        assertThat(new Slots(ota).trial()).isEmpty();
        assertThat(restarts).hasValue(0);
    }

    private List<OtaState> states() {
        return statuses.stream().map(OtaStatus::state).toList();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
