package io.latchkey.agent.key;

import io.latchkey.hal.Registration;
import io.latchkey.hal.key.BarcodeScanner;
import io.latchkey.hal.key.BleKeyLink;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.CarTime;
import io.latchkey.protocol.key.HolderKeys;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRefusedException;
import io.latchkey.protocol.key.KeyRefusedException.Reason;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.OfflineKeyVerifier;
import io.latchkey.protocol.key.RevocationList;
import io.latchkey.protocol.key.SigningInputs;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.telemetry.DeviceEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's side of offline keys (docs/offline-keys.md): BLE challenge-response sessions, QR presentations and
 * revocation lists, decided with the protocol's {@link OfflineKeyVerifier} and the car's {@link CarClock}, acted on
 * through {@link KeyActions} (the commands' door locks), and each decided presentation written as an
 * {@value #EVENT} device event into the journal ({@link UseJournal}). Challenges are single-use, live
 * {@link #CHALLENGE_TTL} by the monotonic clock, belong to the connection they were sent on, and at most
 * {@link #MAX_OPEN_CHALLENGES} are open (a new one evicts the oldest).
 */
public final class OfflineKeys implements AutoCloseable {
    /** The device event type of a decided presentation. */
    public static final String EVENT = "OFFLINE_KEY_USE";
    public static final Duration CHALLENGE_TTL = Duration.ofSeconds(30);
    public static final int MAX_OPEN_CHALLENGES = 4;
    /** A scanner repeats a code it keeps seeing: the same text again within this is the same presentation. */
    static final Duration SCANNER_REPEAT = Duration.ofSeconds(5);
    /** Refusals that come after the tenant's signature verified: the credential's issuedAt is signed time. */
    private static final Set<Reason> SIGNED = EnumSet.of(Reason.WRONG_TENANT, Reason.WRONG_DEVICE, Reason.WIDER_THAN_PARENT,
            Reason.REVOKED, Reason.EXPIRED, Reason.NOT_YET_VALID);
    private static final Logger LOG = LoggerFactory.getLogger(OfflineKeys.class);

    /** Where decided presentations go: the telemetry journal, so they reach the backend in order and exactly once. */
    @FunctionalInterface
    public interface UseJournal {
        void record(DeviceEvent event);
    }

    /**
     * Who the car is: its tenant, device id and the device key that signs its BLE results; {@code earlierKeys} are the
     * device's keys before a renewal with a new key, by the base64url (unpadded) SubjectPublicKeyInfo of their public
     * half. A credential names the device key it was issued for ({@code devicePublicKey}), and the phone checks the car's
     * answer with that key: a credential issued before the renewal is answered with the earlier key it names, so the
     * borrower's phone keeps opening the car offline (docs/offline-keys.md, "A renewed device key").
     */
    public record Identity(String tenant, String deviceId, ECPrivateKeyParameters deviceKey, Map<String, ECPrivateKeyParameters> earlierKeys) {
        public Identity {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(deviceKey, "deviceKey");
            earlierKeys = Map.copyOf(earlierKeys);
        }

        public Identity(String tenant, String deviceId, ECPrivateKeyParameters deviceKey) {
            this(tenant, deviceId, deviceKey, Map.of());
        }

        /** The key that signs the answer to a phone holding {@code credential}: the earlier key it names, else the current. */
        public ECPrivateKeyParameters answerKey(KeyCredential credential) {
            if (credential == null || credential.devicePublicKey() == null || earlierKeys.isEmpty()) {
                return deviceKey;
            }
            try {
                String spki = java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(java.util.Base64.getUrlDecoder().decode(credential.devicePublicKey().strip()));
                return earlierKeys.getOrDefault(spki, deviceKey);
            } catch (IllegalArgumentException e) {
                return deviceKey;
            }
        }

        /** The map key of {@link #earlierKeys}: base64url, unpadded, of the public key's SubjectPublicKeyInfo. */
        public static String spki(java.security.PublicKey key) {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key.getEncoded());
        }
    }

    private record Open(String nonce, long counter, String connectionId, long createdNanos) {
    }

    /** One decided presentation, as journalled. */
    private record Use(KeyCredential credential, String peekedKeyId, KeyRight action, String channel, String outcome,
                       String reason, CarTime time, Long counter) {
    }

    private final Identity identity;
    private final OfflineKeyVerifier verifier;
    private final CarClock clock;
    private final Object journalOrder = new Object();
    private final KeyStateFile state;
    private final KeyActions actions;
    private final UseJournal journal;
    private final SecureRandom random;
    private final Clock systemClock;
    private final java.util.function.LongSupplier nanoTime;
    private final String epoch;
    private final Map<String, Open> open = new LinkedHashMap<>();
    private final Object qrLock = new Object();
    private volatile RevocationList revoked;
    private String lastQrText;
    private long lastQrNanos;

    /**
     * Restores the persisted lower bound and revocation list.
     *
     * @param nanoTime    the monotonic clock the {@code clock} runs on (challenge lifetimes)
     * @param systemClock stamps the journal's events when the car knows no time
     */
    public OfflineKeys(Identity identity, OfflineKeyVerifier verifier, CarClock clock, KeyStateFile state, KeyActions actions,
                       UseJournal journal, SecureRandom random, java.util.function.LongSupplier nanoTime, Clock systemClock) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.state = Objects.requireNonNull(state, "state");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.random = Objects.requireNonNull(random, "random");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.systemClock = Objects.requireNonNull(systemClock, "systemClock");
        byte[] boot = new byte[16];
        random.nextBytes(boot);
        this.epoch = Ed25519.base64url(boot);
        clock.atLeast(state.lowerBound(), true);
        TenantSigned kept = state.revocations();
        if (kept != null) {
            try {
                revoked = verifier.revocations(kept);
            } catch (KeyRefusedException e) {
                LOG.warn("offline keys: the kept revocation list no longer verifies ({}); dropped", e.reason());
            }
        }
    }

    /** {@code LK} and the first 8 hex digits of SHA-256(tenant "/" deviceId): the name a phone looks for (§3). */
    public static String localName(String tenant, String deviceId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((tenant + "/" + deviceId).getBytes(StandardCharsets.UTF_8));
            return "LK" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Advertises the key service on {@code link}. */
    public Registration advertiseOn(BleKeyLink link) {
        return link.advertise(localName(identity.tenant(), identity.deviceId()), this::session);
    }

    /** Takes the codes {@code scanner} reads. */
    public Registration listenTo(BarcodeScanner scanner) {
        return scanner.onScan(this::scanned);
    }

    /**
     * Starts taking presentations: advertises on {@code ble}, listens to {@code scanner} (either may be absent),
     * trusts the GNSS receiver's time once it has a fix, and persists the time's lower bound every
     * {@code persistEvery}. Closing the registration stops all of it.
     */
    public Registration start(java.util.Optional<BleKeyLink> ble, java.util.Optional<BarcodeScanner> scanner,
                              io.latchkey.hal.gnss.Gnss gnss, java.util.concurrent.ScheduledExecutorService scheduler,
                              Duration persistEvery) {
        java.util.List<Registration> started = new java.util.ArrayList<>();
        started.add(gnss.addListener(fix -> {
            if (fix.time() != null && fix.mode() >= 2) {
                clock.trusted(fix.time(), "GNSS", CarTime.SKEW);
            }
        }));
        gnss.latest().filter(fix -> fix.time() != null && fix.mode() >= 2)
                .ifPresent(fix -> clock.trusted(fix.time(), "GNSS", CarTime.SKEW));
        ble.ifPresent(link -> started.add(advertiseOn(link)));
        scanner.ifPresent(s -> started.add(listenTo(s)));
        java.util.concurrent.ScheduledFuture<?> persist = scheduler.scheduleWithFixedDelay(this::persistQuietly,
                persistEvery.toNanos(), persistEvery.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        started.add(() -> persist.cancel(false));
        LOG.info("offline keys: {} as {}, scanner {}, time {}", ble.isPresent() ? "BLE advertising" : "no BLE",
                localName(identity.tenant(), identity.deviceId()), scanner.isPresent() ? "listening" : "none", clock.now().confidence());
        return () -> started.forEach(Registration::close);
    }

    private void persistQuietly() {
        try {
            persistTime();
        } catch (RuntimeException e) {
            LOG.warn("offline keys: time bound not persisted: {}", e.toString());
        }
    }

    /** The car's clock (for GNSS and the cloud to set, and the status to show). */
    public CarClock clock() {
        return clock;
    }

    /** The serial of the newest revocation list the car holds, 0 if none. */
    public long revocationSerial() {
        RevocationList r = revoked;
        return r == null ? 0 : r.serial();
    }

    /** Persists the time's lower bound (every minute, and at stop). */
    public void persistTime() {
        state.lowerBound(clock.bound());
    }

    @Override
    public void close() {
        try {
            persistTime();
        } finally {
            state.close();
        }
    }

    // ---- revocations ----

    /**
     * A revocation list from the cloud ({@code lk/{tenant}/{deviceId}/revocations}, the raw envelope JSON) or a phone.
     * Kept if it verifies and its serial is above the one held; its issuedAt raises the time's lower bound.
     *
     * @return whether it replaced the list held
     */
    public boolean revocations(TenantSigned signed, String source) {
        RevocationList list;
        try {
            list = verifier.revocations(signed);
        } catch (KeyRefusedException e) {
            LOG.warn("offline keys: revocation list from {} refused: {}", source, e.reason());
            return false;
        }
        clock.atLeast(list.issuedAt(), false);
        synchronized (this) {
            RevocationList held = revoked;
            if (held != null && held.serial() >= list.serial()) {
                return false;
            }
            revoked = list;
            state.revocations(signed);
        }
        LOG.info("offline keys: revocation list {} ({} entries) from {}", list.serial(), list.entries().size(), source);
        return true;
    }

    /** The MQTT seam: the payload of {@code lk/{tenant}/{deviceId}/revocations} (a {@link TenantSigned} envelope). */
    public boolean revocationMessage(byte[] payload) {
        try {
            return revocations(Json.read(payload, TenantSigned.class), "the cloud");
        } catch (MalformedMessageException e) {
            LOG.warn("offline keys: a revocation message that is not an envelope: {}", e.getMessage());
            return false;
        }
    }

    // ---- the credential, with the time it carries ----

    private KeyCredential credential(TenantSigned signed) {
        KeyCredential unverified = peek(signed);
        Instant issued = unverified == null ? null : unverified.issuedAt();
        try {
            KeyCredential c = verifier.credential(signed, clock.raisedBy(issued), revoked);
            clock.atLeast(c.issuedAt(), false);
            return c;
        } catch (KeyRefusedException e) {
            if (SIGNED.contains(e.reason())) {
                clock.atLeast(issued, false);
            }
            throw e;
        }
    }

    /** The credential's contents without verifying them: for the time check's order and for logging a refusal. */
    private static KeyCredential peek(TenantSigned signed) {
        try {
            return signed == null || signed.document() == null ? null
                    : Json.read(Ed25519.fromBase64url(signed.document()), KeyCredential.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- BLE ----

    /** The session of one BLE connection (hello, challenge, request, result; again for the next action). */
    public BleKeyLink.Session session(BleKeyLink.Connection connection) {
        return new BleSession(connection);
    }

    private final class BleSession implements BleKeyLink.Session {
        private final BleKeyLink.Connection connection;
        private KeyCredential credential;
        private TenantSigned presented;

        BleSession(BleKeyLink.Connection connection) {
            this.connection = connection;
        }

        @Override
        public synchronized void message(byte[] message) {
            String t;
            try {
                t = KeyMessages.kind(message);
            } catch (MalformedMessageException e) {
                malformed("not a key message");
                return;
            }
            try {
                switch (t) {
                    case "hello" -> hello(message);
                    case "request" -> request(message);
                    default -> malformed("unknown message " + t.substring(0, Math.min(t.length(), 20)));
                }
            } catch (RuntimeException e) {
                // the car's own fault (its state file cannot be written): nothing moved; the phone may try again
                LOG.error("offline keys: BLE {} not handled: {}", connection.id(), e.toString());
                connection.close();
            }
        }

        @Override
        public synchronized void closed() {
            synchronized (OfflineKeys.this) {
                open.values().removeIf(o -> o.connectionId().equals(connection.id()));
            }
        }

        private void hello(byte[] message) {
            KeyMessages.Hello hello;
            try {
                hello = Json.read(message, KeyMessages.Hello.class);
            } catch (MalformedMessageException e) {
                malformed("hello: " + e.getMessage());
                return;
            }
            if (hello.revocations() != null) {
                revocations(hello.revocations(), "a phone");
            }
            credential = null;
            presented = hello.credential();
            try {
                credential = credential(hello.credential());
            } catch (KeyRefusedException e) {
                refused(new Use(null, peekedKeyId(hello.credential()), null, "BLE", "REJECTED", e.reason().name(), clock.now(), null), e);
                send(new KeyMessages.Result("REJECTED", e.reason().name(), actions.lockState().name(), null, null, null));
                return;
            }
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            Open challenge = new Open(Ed25519.base64url(nonce), state.nextCounter(), connection.id(), nanoTime.getAsLong());
            synchronized (OfflineKeys.this) {
                open.put(challenge.nonce(), challenge);
                Iterator<String> oldest = open.keySet().iterator();
                while (open.size() > MAX_OPEN_CHALLENGES) {
                    oldest.next();
                    oldest.remove();
                }
            }
            CarTime time = clock.now();
            send(new KeyMessages.Challenge(challenge.nonce(), challenge.counter(), epoch, time.now(), time.confidence().name()));
        }

        private void request(byte[] message) {
            KeyMessages.Request request;
            try {
                request = Json.read(message, KeyMessages.Request.class);
            } catch (MalformedMessageException e) {
                malformed("request: " + e.getMessage());
                return;
            }
            KeyCredential c = credential;
            credential = null; // one request per hello
            Open challenge;
            synchronized (OfflineKeys.this) {
                challenge = request.nonce() == null ? null : open.remove(request.nonce());
            }
            CarTime time = clock.now();
            try {
                if (request.action() == null) {
                    throw new KeyRefusedException(Reason.MALFORMED, "a request needs an action");
                }
                if (c == null || challenge == null || !challenge.connectionId().equals(connection.id())
                        || challenge.counter() != request.counter()
                        || nanoTime.getAsLong() - challenge.createdNanos() > CHALLENGE_TTL.toNanos()) {
                    throw new KeyRefusedException(Reason.REPLAYED, "no open challenge " + request.nonce() + " on this connection");
                }
                recheck(c, time);
                verifier.bleRequest(c, request.action(), challenge.nonce(), challenge.counter(), epoch, request.signature());
            } catch (KeyRefusedException e) {
                refused(new Use(c, c == null ? peekedKeyId(presented) : null, request.action(), "BLE", "REJECTED",
                        e.reason().name(), time, request.counter()), e);
                sendResult(c, request, "REJECTED", e.reason().name(), actions.lockState().name());
                return;
            }
            long counter = challenge.counter();
            KeyRight action = request.action();
            actions.perform(action).thenAccept(done -> {
                // journalled before the phone hears the result: a use the phone saw succeed is always in the car's history
                decided(new Use(c, null, action, "BLE", done.outcome(), done.reason(), time, counter));
                sendResult(c, request, done.outcome(), done.reason(), done.lockState().name());
            });
        }

        private void sendResult(KeyCredential c, KeyMessages.Request request, String outcome, String reason, String lockState) {
            String signature = null;
            if (c != null && request.action() != null && request.nonce() != null) {
                try {
                    signature = Ed25519.base64url(HolderKeys.sign(identity.answerKey(c), SigningInputs.bleResult(identity.tenant(),
                            identity.deviceId(), c.keyId(), request.action(), request.nonce(), request.counter(), outcome, reason, lockState)));
                } catch (MalformedMessageException e) {
                    signature = null; // a nonce with a line break: nothing to bind the answer to
                }
            }
            send(new KeyMessages.Result(outcome, reason, lockState, request.nonce(), request.counter(), signature));
        }

        private void malformed(String detail) {
            LOG.info("offline key via BLE ({}) refused: MALFORMED ({})", connection.id(), detail);
            send(new KeyMessages.Result("REJECTED", Reason.MALFORMED.name(), actions.lockState().name(), null, null, null));
            connection.close();
        }

        private void send(Object message) {
            try {
                connection.send(Json.write(message));
            } catch (RuntimeException e) {
                LOG.debug("offline keys: answer to {} not sent: {}", connection.id(), e.toString());
            }
        }
    }

    /** The window and revocation again, at the moment of the request (the hello may be up to 30 s old). */
    private void recheck(KeyCredential c, CarTime time) {
        RevocationList r = revoked;
        if (r != null && (r.revokes(c.keyId()) || c.parent() != null && r.revokes(c.parent().keyId()))) {
            throw new KeyRefusedException(Reason.REVOKED, "key " + c.keyId() + " is revoked (list " + r.serial() + ")");
        }
        time.requireWithin(c.notBefore(), c.notAfter());
    }

    // ---- QR ----

    /** A code the windscreen scanner read. Codes that are not Latchkey keys are ignored; repeats of one within 5 s too. */
    public void scanned(String text) {
        if (text == null) {
            return;
        }
        synchronized (qrLock) {
            long now = nanoTime.getAsLong();
            if (text.equals(lastQrText) && now - lastQrNanos < SCANNER_REPEAT.toNanos()) {
                return;
            }
            lastQrText = text;
            lastQrNanos = now;
            KeyMessages.QrPayload payload;
            try {
                payload = KeyMessages.readQr(text.strip());
            } catch (MalformedMessageException e) {
                LOG.debug("scanner: not a key code ({})", e.getMessage());
                return;
            }
            try {
                presentQr(payload);
            } catch (RuntimeException e) {
                LOG.error("offline keys: a scanned code not handled: {}", e.toString());
            }
        }
    }

    private void presentQr(KeyMessages.QrPayload payload) {
        KeyMessages.Presentation p = payload.presentation();
        KeyCredential c = null;
        CarTime time = clock.now();
        try {
            c = credential(payload.credential());
            time = clock.now();
            if (p.action() == null) {
                throw new KeyRefusedException(Reason.MALFORMED, "a presentation needs an action");
            }
            verifier.qrPresentation(c, p.action(), p.counter(), p.time(), p.signature(), time, state.lastQrCounter(c.keyId()));
        } catch (KeyRefusedException e) {
            refused(new Use(c, c == null ? peekedKeyId(payload.credential()) : null, p.action(), "QR", "REJECTED",
                    e.reason().name(), time, p.counter()), e);
            return;
        }
        // used before acted on: a crash in between can lose an unlock, never allow a replay
        state.acceptQrCounter(c.keyId(), p.counter(), c.notAfter(), time.now());
        KeyCredential accepted = c;
        CarTime decidedAt = time;
        actions.perform(p.action()).thenAccept(done ->
                decided(new Use(accepted, null, p.action(), "QR", done.outcome(), done.reason(), decidedAt, p.counter())));
    }

    // ---- accountability ----

    private static String peekedKeyId(TenantSigned signed) {
        KeyCredential c = peek(signed);
        return c == null || c.keyId() == null || !KeyCredential.KEY_ID.matcher(c.keyId()).matches() ? null : c.keyId();
    }

    private void refused(Use use, KeyRefusedException e) {
        LOG.info("offline key {} via {} refused: {}", use.credential() != null ? use.credential().keyId()
                : use.peekedKeyId() != null ? use.peekedKeyId() : "(unread)", use.channel(), e.getMessage());
        decided(use);
    }

    /**
     * Journals a decided use. Its time (the event's {@code at} and {@code carTime}) is taken here, under one lock with
     * the journal write, when the outcome is known: so the journal's order (the audit trail's) and the uses' car
     * times agree even when a presentation is refused while another's lock action is still running.
     */
    private void decided(Use use) {
        synchronized (journalOrder) {
            CarTime recorded = clock.now();
            Map<String, String> details = new LinkedHashMap<>();
            KeyCredential c = use.credential();
            put(details, "keyId", c != null ? c.keyId() : use.peekedKeyId());
            if (c != null) {
                put(details, "holderUserId", c.holder().userId());
                put(details, "bookingId", c.bookingId());
            }
            put(details, "action", use.action() == null ? null : use.action().name());
            put(details, "channel", use.channel());
            put(details, "outcome", use.outcome());
            put(details, "reason", use.reason());
            put(details, "carTime", recorded.now() == null ? null : recorded.now().toString());
            put(details, "timeConfidence", recorded.confidence().name());
            put(details, "counter", use.counter() == null ? null : use.counter().toString());
            if ("EXECUTED".equals(use.outcome())) {
                LOG.info("offline key {} via {}: {} EXECUTED", details.get("keyId"), use.channel(), use.action());
            }
            Instant at = recorded.now() != null ? recorded.now() : systemClock.instant();
            try {
                journal.record(new DeviceEvent(identity.deviceId(), EVENT, at, details));
            } catch (RuntimeException e) {
                LOG.error("offline keys: a use could not be journalled: {}", e.toString());
            }
        }
    }

    private static void put(Map<String, String> details, String key, String value) {
        if (value != null) {
            details.put(key, value);
        }
    }

    /** For tests: how many challenges are open. */
    synchronized int openChallenges() {
        return open.size();
    }
}
