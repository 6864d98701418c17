package io.latchkey.agent.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.MutableClock;
import io.latchkey.agent.TestCloud;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.PhoneKey;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.telemetry.DeviceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline keys at the car, end to end through the agent: a virtual phone over the simulated BLE link and scanner. */
class OfflineKeysTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final Set<KeyRight> UNLOCK_LOCK = Set.of(KeyRight.UNLOCK, KeyRight.LOCK);

    final MutableClock systemClock = new MutableClock(T0);
    final TestCloud cloud = new TestCloud("acme", systemClock);
    final SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    KeyCar car;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (car != null) {
            car.close();
        }
    }

    KeyCar start(Gnss gnss) {
        if (car != null) {
            car.close();
        }
        car = new KeyCar(dir, cloud, systemClock, nanos, gnss, wiring);
        return car;
    }

    /** With GNSS time: TRUSTED at T0. */
    KeyCar startWithGnss() {
        return start(new FixedGnss(52.5, 13.4, systemClock));
    }

    VirtualPhone rita(KeyCar c) {
        return c.phone("key-00000000000000a1", UNLOCK_LOCK, T0.minusSeconds(600), T0.plusSeconds(7200), T0.minusSeconds(900));
    }

    DeviceEvent lastEvent(KeyCar c) {
        List<DeviceEvent> events = c.sentKeyEvents();
        return events.get(events.size() - 1);
    }

    void assertRefused(KeyMessages.Result result, String reason) {
        assertThat(result.outcome()).isEqualTo("REJECTED");
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(wiring.unlockRelay().activations()).as("the unlock relay never moved").isZero();
        assertThat(wiring.isLocked()).isTrue();
    }

    @Test
    void aGenuineKeyOverBle_unlocksTheCar_andTheCarsSignedAnswerVerifiesAtThePhone() {
        KeyCar c = startWithGnss();
        assertThat(c.ble.advertisedName()).isEqualTo(OfflineKeys.localName("acme", "dev-1")).matches("LK[0-9a-f]{8}");
        VirtualPhone phone = rita(c);
        SimulatedBleKeyLink.Phone link = c.ble.connect();

        KeyMessages.Challenge challenge = (KeyMessages.Challenge) phone.hello(link, null);
        KeyMessages.Result result = phone.request(link, KeyRight.UNLOCK);

        assertThat(challenge.timeConfidence()).isEqualTo("TRUSTED");
        assertThat(Ed25519.fromBase64url(challenge.nonce())).hasSize(16);
        assertThat(result.outcome()).isEqualTo("EXECUTED");
        assertThat(result.lockState()).isEqualTo("UNLOCKED");
        assertThat(phone.key.verifyResult(result, challenge, KeyRight.UNLOCK)).isTrue();
        assertThat(phone.key.verifyResult(result, challenge, KeyRight.LOCK)).as("bound to the action").isFalse();
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);
        assertThat(wiring.isLocked()).isFalse();

        c.online();
        await().atMost(Duration.ofSeconds(5)).until(() -> !c.sentKeyEvents().isEmpty());
        DeviceEvent use = lastEvent(c);
        // used while offline: only the journal carried it; a use while online is also published on the event channel,
        // the same event (time and details), which the backend stores once
        assertThat(publishedKeyUses(c)).isEmpty(); // (other events, e.g. a power state, may go meanwhile)
        phone.use(c.ble, KeyRight.LOCK, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.sentKeyEvents().size() == 2 && !publishedKeyUses(c).isEmpty());
        DeviceEvent published = publishedKeyUses(c).get(0);
        assertThat(published).isEqualTo(c.sentKeyEvents().get(1));
        assertThat(use.type()).isEqualTo(OfflineKeys.EVENT);
        assertThat(use.details()).containsEntry("keyId", "key-00000000000000a1").containsEntry("holderUserId", "u-rita")
                .containsEntry("bookingId", "bk-1").containsEntry("action", "UNLOCK").containsEntry("channel", "BLE")
                .containsEntry("outcome", "EXECUTED").containsEntry("timeConfidence", "TRUSTED")
                .containsEntry("counter", Long.toString(challenge.counter())).doesNotContainKey("reason");
    }

    @Test
    void forgedAndTamperedCredentials_areRefused() {
        KeyCar c = startWithGnss();
        ECPrivateKeyParameters holder = KeyCar.newHolder();
        KeyCredential genuine = KeyCar.credential("key-00000000000000b1", "acme", "dev-1", holder, UNLOCK_LOCK,
                T0.minusSeconds(60), T0.plusSeconds(3600), T0.minusSeconds(120), null);
        TenantSigned forged = TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, genuine, TestCloud.KEY_ID,
                io.latchkey.protocol.Keys.newCommandKeyPair().getPrivate());
        assertRefused(new VirtualPhone(new PhoneKey(holder, forged)).use(c.ble, KeyRight.UNLOCK, null), "BAD_CREDENTIAL_SIGNATURE");

        TenantSigned signed = c.sign(genuine);
        String json = new String(Ed25519.fromBase64url(signed.document()), StandardCharsets.UTF_8).replace("\"LOCK\"", "\"START\"");
        TenantSigned tampered = new TenantSigned(signed.signerKeyId(), Ed25519.base64url(json.getBytes(StandardCharsets.UTF_8)),
                signed.signature());
        assertRefused(new VirtualPhone(new PhoneKey(holder, tampered)).use(c.ble, KeyRight.UNLOCK, null), "BAD_CREDENTIAL_SIGNATURE");
    }

    @Test
    void aKeyForAnotherCarOrTenant_orOutsideItsWindow_isRefused() {
        KeyCar c = startWithGnss();
        ECPrivateKeyParameters holder = KeyCar.newHolder();
        record Case(String tenant, String device, Instant from, Instant to, String reason) {
        }
        for (Case k : List.of(
                new Case("acme", "dev-2", T0.minusSeconds(60), T0.plusSeconds(3600), "WRONG_DEVICE"),
                new Case("other", "dev-1", T0.minusSeconds(60), T0.plusSeconds(3600), "WRONG_TENANT"),
                new Case("acme", "dev-1", T0.minusSeconds(7200), T0.minusSeconds(1), "EXPIRED"),
                new Case("acme", "dev-1", T0.plusSeconds(600), T0.plusSeconds(3600), "NOT_YET_VALID"))) {
            TenantSigned signed = c.sign(KeyCar.credential("key-00000000000000c1", k.tenant(), k.device(), holder, UNLOCK_LOCK,
                    k.from(), k.to(), k.from().minusSeconds(60), null));
            assertRefused(new VirtualPhone(new PhoneKey(holder, signed)).use(c.ble, KeyRight.UNLOCK, null), k.reason());
        }
        c.online();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.sentKeyEvents().size() == 4);
        assertThat(c.sentKeyEvents()).extracting(e -> e.details().get("reason"))
                .containsExactly("WRONG_DEVICE", "WRONG_TENANT", "EXPIRED", "NOT_YET_VALID");
    }

    @Test
    void aRevokedKey_isRefused_whetherTheListCameFromTheCloudOrACouriersPhone_andTheListOutlivesARestart() {
        KeyCar c = startWithGnss();
        VirtualPhone rita = rita(c);
        VirtualPhone courier = c.phone("key-00000000000000d2", UNLOCK_LOCK, T0.minusSeconds(60), T0.plusSeconds(3600), T0.minusSeconds(60));

        // a phone carries the list: its own key opens, and the car keeps the list
        KeyMessages.Result courierUse = courier.use(c.ble, KeyRight.LOCK, c.revocations(3, T0.minusSeconds(30), "key-00000000000000a1"));
        assertThat(courierUse.outcome()).isEqualTo("EXECUTED");
        assertThat(c.keys().revocationSerial()).isEqualTo(3);
        assertRefused(rita.use(c.ble, KeyRight.UNLOCK, null), "REVOKED");

        // an older list (a stale courier) does not replace it
        assertThat(c.keys().revocations(c.revocations(2, T0.minusSeconds(300)), "test")).isFalse();
        start(KeyCar.NO_GNSS);
        assertThat(car.keys().revocationSerial()).isEqualTo(3);

        // the cloud's retained list on lk/acme/dev-1/revocations revokes the courier's key too
        car.online();
        car.broker.deliverRevocations(Json.write(car.revocations(4, T0, "key-00000000000000a1", "key-00000000000000d2")));
        await().atMost(Duration.ofSeconds(5)).until(() -> car.keys().revocationSerial() == 4);
        assertRefused(courier.use(car.ble, KeyRight.UNLOCK, null), "REVOKED");
        // a forged list on the channel changes nothing
        car.broker.deliverRevocations(Json.write(TenantSigned.sign(TenantSigned.Kind.REVOCATIONS,
                new io.latchkey.protocol.key.RevocationList(1, io.latchkey.protocol.key.RevocationList.TYPE, "acme", 9, T0, List.of()),
                TestCloud.KEY_ID, io.latchkey.protocol.Keys.newCommandKeyPair().getPrivate())));
        assertThat(car.keys().revocationMessage(Json.write(car.revocations(4, T0)))).as("not newer").isFalse();
        assertThat(car.keys().revocationSerial()).isEqualTo(4);
    }

    @Test
    void aCoDriversKey_widerThanItsParent_orRevokedWithIt_isRefused() {
        KeyCar c = startWithGnss();
        ECPrivateKeyParameters coDriver = KeyCar.newHolder();
        KeyCredential.Parent parent = new KeyCredential.Parent("key-00000000000000a1", Set.of(KeyRight.UNLOCK),
                T0.minusSeconds(600), T0.plusSeconds(3600));
        KeyCredential wider = KeyCar.credential("key-00000000000000e1", "acme", "dev-1", coDriver, UNLOCK_LOCK,
                T0.minusSeconds(600), T0.plusSeconds(3600), T0.minusSeconds(700), parent);
        assertRefused(new VirtualPhone(new PhoneKey(coDriver, c.sign(wider))).use(c.ble, KeyRight.UNLOCK, null), "WIDER_THAN_PARENT");

        KeyCredential narrower = KeyCar.credential("key-00000000000000e2", "acme", "dev-1", coDriver, Set.of(KeyRight.UNLOCK),
                T0.minusSeconds(60), T0.plusSeconds(1800), T0.minusSeconds(700), parent);
        c.keys().revocations(c.revocations(1, T0.minusSeconds(10), "key-00000000000000a1"), "test");
        assertRefused(new VirtualPhone(new PhoneKey(coDriver, c.sign(narrower))).use(c.ble, KeyRight.UNLOCK, null), "REVOKED");
    }

    @Test
    void theWrongHoldersSignature_orAnActionTheKeyDoesNotGrant_isRefused() {
        KeyCar c = startWithGnss();
        VirtualPhone genuine = rita(c);
        VirtualPhone thief = new VirtualPhone(new PhoneKey(KeyCar.newHolder(), genuine.key.credential()));
        assertRefused(thief.use(c.ble, KeyRight.UNLOCK, null), "BAD_HOLDER_SIGNATURE");

        VirtualPhone lockOnly = c.phone("key-00000000000000f1", Set.of(KeyRight.LOCK), T0.minusSeconds(60), T0.plusSeconds(600),
                T0.minusSeconds(60));
        assertRefused(lockOnly.use(c.ble, KeyRight.UNLOCK, null), "NO_RIGHT");
    }

    @Test
    void aRecordedBleExchange_replayedLater_doesNothing() {
        KeyCar c = startWithGnss();
        VirtualPhone rita = rita(c);
        assertThat(rita.use(c.ble, KeyRight.UNLOCK, null).outcome()).isEqualTo("EXECUTED");
        long unlocks = wiring.unlockRelay().activations();

        // the attacker replays the recorded hello and request on a new connection: a fresh challenge, a stale answer
        SimulatedBleKeyLink.Phone attacker = c.ble.connect();
        attacker.send(rita.sentHello);
        KeyMessages.Challenge fresh = Json.read(attacker.receive(Duration.ofSeconds(5)), KeyMessages.Challenge.class);
        assertThat(fresh.nonce()).isNotEqualTo(rita.challenge.nonce());
        attacker.send(rita.sentRequest);
        KeyMessages.Result replayed = VirtualPhone.result(attacker);
        assertThat(replayed.outcome()).isEqualTo("REJECTED");
        assertThat(replayed.reason()).isEqualTo("REPLAYED");
        assertThat(wiring.unlockRelay().activations()).isEqualTo(unlocks);

        // a genuine answer after the challenge's 30 s is too late, and a challenge is one connection's only
        SimulatedBleKeyLink.Phone slow = c.ble.connect();
        rita.hello(slow, null);
        c.elapse(Duration.ofSeconds(31));
        assertThat(rita.request(slow, KeyRight.UNLOCK).reason()).isEqualTo("REPLAYED");
        SimulatedBleKeyLink.Phone first = c.ble.connect();
        rita.hello(first, null);
        SimulatedBleKeyLink.Phone other = c.ble.connect();
        other.send(rita.key.request(rita.challenge, KeyRight.UNLOCK));
        assertThat(VirtualPhone.result(other).reason()).isEqualTo("REPLAYED");
        assertThat(wiring.unlockRelay().activations()).isEqualTo(unlocks);
    }

    @Test
    void malformedBleMessages_areRefused_andTheConnectionClosed() {
        KeyCar c = startWithGnss();
        SimulatedBleKeyLink.Phone link = c.ble.connect();
        link.send("not json".getBytes(StandardCharsets.UTF_8));
        assertThat(VirtualPhone.result(link).reason()).isEqualTo("MALFORMED");
        assertThat(link.isConnected()).isFalse();
        SimulatedBleKeyLink.Phone oversized = c.ble.connect();
        oversized.write(new byte[] {0x7f, 0x7f, 1, 2, 3});
        assertThat(oversized.isConnected()).isFalse();
        assertThat(wiring.unlockRelay().activations()).isZero();
    }

    @Test
    void aQrCounter_isAcceptedOnce_evenAcrossAnAgentRestart() {
        KeyCar c = startWithGnss();
        VirtualPhone rita = rita(c);
        String five = rita.key.qr(KeyRight.UNLOCK, 5, T0);
        c.scanner.show(five);
        await().atMost(Duration.ofSeconds(5)).until(() -> !wiring.isLocked());
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);

        start(new FixedGnss(52.5, 13.4, systemClock));
        car.elapse(Duration.ofSeconds(6));
        car.scanner.show(five);
        car.scanner.show(rita.key.qr(KeyRight.UNLOCK, 4, T0.plusSeconds(1)));
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);
        car.scanner.show(rita.key.qr(KeyRight.LOCK, 6, T0.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(5)).until(wiring::isLocked);
        // a photo taken long ago
        car.scanner.show(rita.key.qr(KeyRight.UNLOCK, 7, T0.minusSeconds(120)));
        car.scanner.show("some other barcode");

        car.online();
        // the first run's use waited in the journal across the restart: it arrives first, once
        await().atMost(Duration.ofSeconds(5)).until(() -> car.sentKeyEvents().size() >= 5);
        assertThat(car.sentKeyEvents()).extracting(e -> e.details().get("channel") + " " + e.details().get("counter") + " "
                        + e.details().get("outcome") + " " + e.details().getOrDefault("reason", "-"))
                .containsExactly("QR 5 EXECUTED -", "QR 5 REJECTED REPLAYED", "QR 4 REJECTED REPLAYED",
                        "QR 6 EXECUTED -", "QR 7 REJECTED STALE_PRESENTATION");
    }

    @Test
    void withGnssTheTimeIsTrusted_afterARestartUndergroundItIsALowerBound_thatACredentialsIssueTimeRaises() {
        KeyCar c = startWithGnss();
        assertThat(c.keys().clock().now().confidence().name()).isEqualTo("TRUSTED");
        c.close(); // persists T0 as the bound
        car = null;
        systemClock.set(Instant.parse("2001-01-01T00:00:00Z")); // a Pi without RTC or network: its clock means nothing

        KeyCar under = start(KeyCar.NO_GNSS);
        assertThat(under.keys().clock().now().confidence().name()).isEqualTo("LOWER_BOUND");
        assertThat(under.keys().clock().now().now()).isAfterOrEqualTo(T0);

        // two hours later the borrower's app refreshed the key before going underground: its issuedAt is the time
        Instant later = T0.plus(Duration.ofHours(2));
        VirtualPhone fresh = under.phone("key-0000000000000101", UNLOCK_LOCK, later.minusSeconds(60), later.plusSeconds(3600),
                later.minusSeconds(30));
        KeyMessages.Result opened = fresh.use(under.ble, KeyRight.UNLOCK, null);
        assertThat(fresh.challenge.timeConfidence()).isEqualTo("LOWER_BOUND");
        assertThat(opened.outcome()).isEqualTo("EXECUTED");
        assertThat(under.keys().clock().now().now()).isAfterOrEqualTo(later.minusSeconds(30));

        // a key that ended before what the car now knows is certainly expired
        VirtualPhone old = under.phone("key-0000000000000102", UNLOCK_LOCK, T0, T0.plusSeconds(3600), T0.minusSeconds(60));
        KeyMessages.Result refused = old.use(under.ble, KeyRight.LOCK, null);
        assertThat(refused.reason()).isEqualTo("EXPIRED");
        under.online();
        await().atMost(Duration.ofSeconds(5)).until(() -> under.sentKeyEvents().size() == 2);
        assertThat(under.sentKeyEvents()).extracting(e -> e.details().get("timeConfidence")).containsExactly("LOWER_BOUND", "LOWER_BOUND");
    }

    @Test
    void withAHardwareRtcTheCarSetFromGnss_theTimeStaysTrustedAfterARestartUnderground() {
        io.latchkey.hal.time.SimulatedRtc rtc = new io.latchkey.hal.time.SimulatedRtc(nanos::get);
        car = new KeyCar(dir, cloud, systemClock, nanos, new FixedGnss(52.5, 13.4, systemClock), wiring, rtc);
        assertThat(car.keys().clock().trustedSource()).isEqualTo("GNSS");
        car.close(); // the agent stops: the RTC is set from the GNSS time it trusts, and the car records that it did
        car = null;
        assertThat(rtc.read()).contains(T0);

        nanos.addAndGet(Duration.ofHours(2).toNanos()); // two hours parked; the agent restarts with no GNSS, no network
        systemClock.set(Instant.parse("2001-01-01T00:00:00Z"));
        car = new KeyCar(dir, cloud, systemClock, nanos, KeyCar.NO_GNSS, wiring, rtc);
        assertThat(car.keys().clock().now().confidence().name()).isEqualTo("TRUSTED");
        assertThat(car.keys().clock().now().now()).isEqualTo(T0.plus(Duration.ofHours(2)));
        // a booking that started an hour after the car last had GNSS: with only the lower bound (T0) it would not be
        // valid yet; with the RTC's trusted time it opens
        Instant later = T0.plus(Duration.ofHours(1));
        VirtualPhone phone = car.phone("key-0000000000000201", UNLOCK_LOCK, later, later.plus(Duration.ofHours(2)), T0.minusSeconds(60));
        KeyMessages.Result opened = phone.use(car.ble, KeyRight.UNLOCK, null);
        assertThat(phone.challenge.timeConfidence()).isEqualTo("TRUSTED");
        assertThat(opened.outcome()).isEqualTo("EXECUTED");

        // the RTC lost power meanwhile (the chip says so): the next restart is back to the lower bound
        car.close();
        car = null;
        rtc.losePower();
        car = new KeyCar(dir, cloud, systemClock, nanos, KeyCar.NO_GNSS, wiring, rtc);
        assertThat(car.keys().clock().now().confidence().name()).isEqualTo("LOWER_BOUND");
    }

    @Test
    void aCarThatNeverKnewTheTime_refusesEveryKey_untilATrustedSourceTellsIt() {
        KeyCar c = start(KeyCar.NO_GNSS);
        VirtualPhone rita = rita(c);
        assertRefused(rita.use(c.ble, KeyRight.UNLOCK, null), "TIME_UNKNOWN");
        assertThat(c.keys().clock().now().confidence().name()).as("a phone's credential alone sets no time").isEqualTo("UNKNOWN");

        // online, a verified command tells the time
        c.online();
        c.broker.deliver(cloud.signed("dev-1", CommandType.LOCK));
        await().atMost(Duration.ofSeconds(5)).until(() -> c.keys().clock().now().confidence().name().equals("TRUSTED"));
        assertThat(rita.use(c.ble, KeyRight.UNLOCK, null).outcome()).isEqualTo("EXECUTED");
    }

    @Test
    void everyDecidedPresentation_reachesTheCloudInOrder_exactlyOnce() {
        KeyCar c = startWithGnss();
        VirtualPhone rita = rita(c);
        rita.use(c.ble, KeyRight.UNLOCK, null);
        new VirtualPhone(new PhoneKey(KeyCar.newHolder(), rita.key.credential())).use(c.ble, KeyRight.LOCK, null);
        rita.use(c.ble, KeyRight.LOCK, null);
        c.scanner.show(rita.key.qr(KeyRight.UNLOCK, 1, T0));
        await().atMost(Duration.ofSeconds(5)).until(() -> !wiring.isLocked());

        c.online();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.sentKeyEvents().size() >= 4);
        assertThat(c.sentKeyEvents()).extracting(e -> e.details().get("action") + " " + e.details().get("outcome"))
                .containsExactly("UNLOCK EXECUTED", "LOCK REJECTED", "LOCK EXECUTED", "UNLOCK EXECUTED");
        List<Long> seqs = c.sentRecords().stream().filter(r -> r.event() != null).map(r -> r.seq()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void eachRefusal_isLoggedWithItsReason_andNoKeyMaterial() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(OfflineKeys.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured = new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            KeyCar c = startWithGnss();
            VirtualPhone genuine = rita(c);
            VirtualPhone thief = new VirtualPhone(new PhoneKey(KeyCar.newHolder(), genuine.key.credential()));
            thief.use(c.ble, KeyRight.UNLOCK, null);
            c.keys().revocations(c.revocations(1, T0, "key-00000000000000a1"), "test");
            genuine.use(c.ble, KeyRight.UNLOCK, null);

            List<String> lines = captured.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).anyMatch(l -> l.contains("key-00000000000000a1") && l.contains("refused: BAD_HOLDER_SIGNATURE"))
                    .anyMatch(l -> l.contains("key-00000000000000a1") && l.contains("refused: REVOKED"));
            assertThat(lines).noneMatch(l -> l.contains(genuine.key.credential().document()) || l.contains(genuine.key.credential().signature())
                    || l.contains(genuine.key.contents().holder().publicKey()));
        } finally {
            log.detachAppender(captured);
        }
    }

    @Test
    void atMostFourChallengesAreOpen_aFifthEvictsTheOldest() {
        KeyCar c = startWithGnss();
        VirtualPhone rita = rita(c);
        List<SimulatedBleKeyLink.Phone> links = new java.util.ArrayList<>();
        List<KeyMessages.Challenge> challenges = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SimulatedBleKeyLink.Phone link = c.ble.connect();
            links.add(link);
            challenges.add((KeyMessages.Challenge) rita.hello(link, null));
        }
        assertThat(c.keys().openChallenges()).isEqualTo(OfflineKeys.MAX_OPEN_CHALLENGES);
        assertThat(challenges).extracting(KeyMessages.Challenge::counter).doesNotHaveDuplicates().isSorted();
        links.get(0).send(rita.key.request(challenges.get(0), KeyRight.UNLOCK));
        assertThat(VirtualPhone.result(links.get(0)).reason()).isEqualTo("REPLAYED");
        links.get(4).send(rita.key.request(challenges.get(4), KeyRight.UNLOCK));
        assertThat(VirtualPhone.result(links.get(4)).outcome()).isEqualTo("EXECUTED");
    }

    @Test
    void withKeysOfflineFalse_theCarAdvertisesNothing_andIgnoresScans() {
        io.latchkey.agent.config.AgentConfig config = io.latchkey.agent.config.AgentConfig.builder().tenant("acme").deviceId("dev-1")
                .mqttUrl("tcp://127.0.0.1:1").commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64())
                .deviceKey(KeyCar.DEVICE_KEY.getPrivate()).dataDir(dir).offlineKeys(false).build();
        SimulatedBleKeyLink ble = new SimulatedBleKeyLink();
        io.latchkey.hal.key.SimulatedBarcodeScanner scanner = new io.latchkey.hal.key.SimulatedBarcodeScanner();
        try (io.latchkey.agent.Agent agent = io.latchkey.agent.Agent.builder(config).doorLocks(wiring.doorLocks(Duration.ZERO))
                .gnss(new FixedGnss(52.5, 13.4, systemClock)).vehicleSignals(new io.latchkey.hal.vehicle.MutableVehicleSignals())
                .clock(systemClock).commandHistory(new io.latchkey.agent.command.InMemoryCommandHistory(10, "dev-1", systemClock))
                .brokerConnection(will -> new io.latchkey.agent.FakeBrokerConnection(will, cloud))
                .bleKeyLink(ble).barcodeScanner(scanner).build()) {
            agent.start();
            assertThat(agent.offlineKeys()).isEmpty();
            assertThat(ble.advertising()).isFalse();
            scanner.show("LK1.anything");
            assertThat(wiring.unlockRelay().activations()).isZero();
        }
    }

    /** The offline-key uses the car published on its event channel (not those only its journal carried). */
    private static java.util.List<DeviceEvent> publishedKeyUses(KeyCar c) {
        return c.broker.on(io.latchkey.protocol.Channel.EVENT).stream().map(p -> Json.read(p.payload(), DeviceEvent.class))
                .filter(e -> OfflineKeys.EVENT.equals(e.type())).toList();
    }
}
