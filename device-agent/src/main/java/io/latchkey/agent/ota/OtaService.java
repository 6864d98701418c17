package io.latchkey.agent.ota;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.device.DeviceSigner;
import io.latchkey.protocol.ota.OtaOffer;
import io.latchkey.protocol.ota.OtaState;
import io.latchkey.protocol.ota.OtaStatus;
import io.latchkey.protocol.ota.SignedOtaStatus;
import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.ota.UpdateRefusedException;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of an over-the-air update (docs/ota.md): takes an offer from the {@code ota} channel, checks its
 * manifest before spending a byte, downloads the bundle (resumable, bounded, budgeted), verifies it, waits for the
 * maintenance window and an idle car, installs it into the inactive slot and restarts into it. A release on trial
 * marks itself good once it has connected within the self-test time, and rolls itself back otherwise. Every step is
 * reported on {@code ota-status}, signed by the device key; the final one of an update that restarted the agent
 * ({@code UPDATED}, {@code ROLLED_BACK}) is kept on disk until the broker has it.
 */
public final class OtaService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtaService.class);
    static final String OFFER = "offer.json";
    static final String BUNDLE = "bundle.zip";

    /** Who signs the statuses. */
    public record Identity(String tenant, String deviceId, DeviceSigner signer) {
    }

    /** Where the agent runs from (the launcher's {@code LATCHKEY_SLOT}, {@code LATCHKEY_SLOT_DIR}) and its version. */
    public record Running(String mode, Path dir, String version) {
        public boolean onTrial() {
            return "trial".equals(mode);
        }
    }

    private final Identity identity;
    private final UpdateVerifier verifier;
    private final Slots slots;
    private final Downloader downloader;
    private final Running running;
    private final BooleanSupplier carInUse;
    private final OtaSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Function<byte[], CompletableFuture<Void>> publish;
    private final Runnable restart;
    private final Object lock = new Object();
    private OtaOffer active;
    private ScheduledFuture<?> deadline;
    private volatile boolean closed;

    public OtaService(Identity identity, UpdateVerifier verifier, Slots slots, Downloader downloader, Running running,
                      BooleanSupplier carInUse, OtaSettings settings, Clock clock, ScheduledExecutorService scheduler,
                      Function<byte[], CompletableFuture<Void>> publish, Runnable restart) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.slots = Objects.requireNonNull(slots, "slots");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.running = Objects.requireNonNull(running, "running");
        this.carInUse = Objects.requireNonNull(carInUse, "carInUse");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.publish = Objects.requireNonNull(publish, "publish");
        this.restart = Objects.requireNonNull(restart, "restart");
    }

    /**
     * At the agent's start: a release on trial gets its self-test deadline; otherwise an offer left by the last run
     * (download under way, or waiting for the window) is taken up again.
     */
    public void start() {
        if (running.onTrial()) {
            deadline = scheduler.schedule(() -> rollBack("SELFTEST_TIMEOUT: not connected and self-tested within "
                    + settings.selfTestTimeout()), settings.selfTestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        readOffer().ifPresent(o -> {
            synchronized (lock) {
                active = o;
            }
            scheduler.execute(() -> proceed(o));
        });
    }

    /** Connected to the broker: the self-test of a release on trial, and the report of the last update's outcome. */
    public void connected() {
        scheduler.execute(() -> {
            if (running.onTrial()) {
                selfTestPassed();
            }
            reportOutcome();
        });
    }

    /** A message on the {@code ota} channel (called off the I/O thread by the agent). */
    public void offer(byte[] payload) {
        OtaOffer offer;
        try {
            offer = Json.read(payload, OtaOffer.class).checked();
        } catch (MalformedMessageException e) {
            LOG.warn("{}: update offer ignored: {}", identity.deviceId(), e.getMessage());
            return;
        }
        synchronized (lock) {
            if (active != null && active.rolloutId().equals(offer.rolloutId())) {
                return; // a repeat of the offer under way
            }
            if (slots.pending().map(p -> p.rolloutId().equals(offer.rolloutId())).orElse(false)) {
                return; // a repeat of the offer installed: on trial now, or its outcome not reported yet (a restart ago)
            }
            if (running.onTrial() || slots.trial().isPresent()) {
                report(offer, OtaState.FAILED, "BUSY: a release is on trial");
                return;
            }
            if (active != null) {
                LOG.info("{}: offer {} replaces {}", identity.deviceId(), offer.rolloutId(), active.rolloutId());
                deleteQuietly(work(BUNDLE));
                deleteQuietly(Downloader.partOf(work(BUNDLE)));
            }
            try {
                verifier.verify(offer.manifest(), running.version());
            } catch (UpdateRefusedException e) {
                report(offer, OtaState.FAILED, e.getMessage());
                return;
            }
            active = offer;
            writeOffer(offer);
        }
        scheduler.execute(() -> proceed(offer));
    }

    /** The steps from wherever the offer is: download, verify, wait for the window and an idle car, install. */
    void proceed(OtaOffer offer) {
        if (closed || !isActive(offer)) {
            return;
        }
        Path bundle = work(BUNDLE);
        UpdateManifest manifest;
        try {
            if (!Files.exists(bundle)) {
                report(offer, OtaState.DOWNLOADING, null);
                downloader.download(URI.create(offer.url()), offer.size(), offer.sha256(), bundle);
                report(offer, OtaState.DOWNLOADED, null);
            }
            manifest = UpdateBundle.verify(bundle, verifier, running.version());
            if (!UpdateBundle.manifestOf(bundle).equals(offer.manifest()) || !manifest.version().equals(offer.version())) {
                throw new UpdateRefusedException(UpdateRefusedException.Reason.OFFER_MISMATCH, "the bundle's manifest is not the offered one");
            }
            report(offer, OtaState.VERIFIED, null);
        } catch (DownloadException e) {
            if (e.deferred()) {
                report(offer, OtaState.DOWNLOADING, e.getMessage());
                scheduler.schedule(() -> proceed(offer), settings.recheck().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                finish(offer, e.getMessage());
            }
            return;
        } catch (UpdateRefusedException e) {
            finish(offer, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        install(offer, bundle, manifest);
    }

    /** Installs when the window is open and the car idle; else checks again later. */
    void install(OtaOffer offer, Path bundle, UpdateManifest manifest) {
        if (closed || !isActive(offer)) {
            return;
        }
        if (!settings.inWindow(clock.instant()) || carInUse.getAsBoolean()) {
            LOG.debug("{}: release {} waits for the maintenance window and an idle car", identity.deviceId(), offer.version());
            scheduler.schedule(() -> install(offer, bundle, manifest), settings.recheck().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        report(offer, OtaState.INSTALLING, null);
        try {
            slots.install(new Slots.Pending(offer.rolloutId(), offer.version(), running.version()), running.dir(),
                    (slot, step) -> UpdateBundle.extract(bundle, manifest, slot, step));
        } catch (RuntimeException e) {
            finish(offer, "INSTALL: " + e.getMessage());
            return;
        }
        clearWork();
        LOG.info("{}: release {} installed on trial; restarting into it", identity.deviceId(), offer.version());
        restart.run();
    }

    private void selfTestPassed() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (slots.markGood()) {
            LOG.info("{}: release {} connected and marked itself good", identity.deviceId(), running.version());
        }
    }

    private void rollBack(String reason) {
        if (closed || slots.trial().isEmpty()) {
            return;
        }
        LOG.warn("{}: release {} rolls back: {}", identity.deviceId(), running.version(), reason);
        slots.rollBack(reason);
        restart.run();
    }

    /** The outcome of an update that restarted the agent, once: UPDATED or ROLLED_BACK, then forgotten. */
    private void reportOutcome() {
        if (running.onTrial() && slots.trial().isPresent()) {
            return;
        }
        slots.pending().ifPresent(p -> {
            String reason = slots.rolledBack().orElse(null);
            OtaState state = reason != null ? OtaState.ROLLED_BACK : running.version().equals(p.version()) ? OtaState.UPDATED : null;
            if (state == null) {
                return; // power cut before the trial was committed: the next offer starts over
            }
            publish.apply(sign(new OtaStatus(null, null, p.rolloutId(), p.version(), running.version(), state, reason, clock.instant())))
                    .thenRun(slots::clearReport)
                    .exceptionally(e -> null);
        });
    }

    private void finish(OtaOffer offer, String reason) {
        LOG.warn("{}: update {} failed: {}", identity.deviceId(), offer.rolloutId(), reason);
        report(offer, OtaState.FAILED, reason);
        clearWork();
    }

    private void report(OtaOffer offer, OtaState state, String reason) {
        publish.apply(sign(new OtaStatus(null, null, offer.rolloutId(), offer.version(), running.version(), state, reason, clock.instant())))
                .exceptionally(e -> null);
    }

    private byte[] sign(OtaStatus status) {
        return SignedOtaStatus.signToWire(status, identity.tenant(), identity.deviceId(), identity.signer());
    }

    private boolean isActive(OtaOffer offer) {
        synchronized (lock) {
            return offer.equals(active);
        }
    }

    private void clearWork() {
        synchronized (lock) {
            active = null;
        }
        deleteQuietly(work(OFFER));
        deleteQuietly(work(BUNDLE));
        deleteQuietly(Downloader.partOf(work(BUNDLE)));
    }

    private Path work(String name) {
        return slots.root().resolve("download").resolve(name);
    }

    private void writeOffer(OtaOffer offer) {
        try {
            Files.createDirectories(work(OFFER).getParent());
            Path tmp = work(OFFER + ".tmp");
            Files.write(tmp, Json.write(offer));
            Files.move(tmp, work(OFFER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("{}: offer not kept across restarts: {}", identity.deviceId(), e.toString());
        }
    }

    private java.util.Optional<OtaOffer> readOffer() {
        try {
            return java.util.Optional.of(Json.read(Files.readAllBytes(work(OFFER)), OtaOffer.class).checked());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next offer
        }
    }

    @Override
    public void close() {
        closed = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
