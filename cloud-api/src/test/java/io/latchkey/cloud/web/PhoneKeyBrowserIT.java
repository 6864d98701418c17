package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.latchkey.agent.key.CarClock;
import io.latchkey.agent.key.KeyActions;
import io.latchkey.agent.key.KeyStateFile;
import io.latchkey.agent.key.OfflineKeys;
import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.DeviceCredentials;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.hal.key.KeyFrames;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.device.DeviceKeys;
import io.latchkey.protocol.key.CarTime;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.OfflineKeyVerifier;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.telemetry.DeviceEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The borrower app's phone key (docs/app.md "Phone key", docs/offline-keys.md) in Debian's Chromium, against the real
 * backend and the car's real presentation handler: the agent's {@link OfflineKeys} with its verifier, counters and
 * revocation list, running in this JVM for car {@code dev-car-1}.
 * <ul>
 * <li>The app gets a key on the car page; its private half is a non-extractable WebCrypto key in IndexedDB. Opened
 * again online in the credential's second half, the page renews the credential for the same key pair.</li>
 * <li>QR: the code is read back from the page's real canvas (ZXing) and scanned by the car: accepted; redrawn with a
 * new counter; an older counter and the same code again are refused ({@code REPLAYED}); with the backend unreachable
 * the app still presents; once the car has the tenant's revocation list naming the key it refuses it ({@code REVOKED}).</li>
 * <li>BLE: headless Chromium has no Bluetooth adapter, so the page gets a stand-in for {@code navigator.bluetooth} (device,
 * GATT server, service, the two characteristics) whose writes this test relays, chunk by chunk, to the car's
 * {@link SimulatedBleKeyLink} and whose notifications are the car's own answers, re-framed in 20-byte pieces. The app
 * finds the car by its advertised name, says hello carrying the revocation list (the car keeps it: the courier),
 * answers the challenge, and checks the car's signed result: a result tampered with on the way is not believed.</li>
 * <li>Sharing (second): a co-driver reads their code under My account; the borrower names them on the booking in the
 * app; the co-driver's app lists the booking under "Co-driving" and gets a key pair and credential of its own whose
 * parent is the borrower's key; the car accepts its QR code, and once the borrower drops the co-driver (the tenant's
 * list then names the derived key) refuses the next one ({@code REVOKED}).</li>
 * </ul>
 * One browser session for the class; the tests run in order (the second cancels what the first left open on the car).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PhoneKeyBrowserIT {
    static final String SERVICE = "6c6b0001-7a3c-4e0f-9a55-4c4154434b31";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path carDir;
    CloudApp app;
    String operator;
    String borrower;
    String other;
    String admin;
    Map<String, PublicKey> pinned;
    Chromium chrome;
    ChromeDriver browser;
    WebDriverWait wait;

    // the car: the agent's presentation handler with a clock it trusts, actions and journal recorded
    final AtomicLong nanosAhead = new AtomicLong();
    final List<KeyRight> performed = new CopyOnWriteArrayList<>();
    final List<DeviceEvent> journal = new CopyOnWriteArrayList<>();
    SimulatedBleKeyLink ble;
    OfflineKeys car;
    KeyStateFile carState;

    @BeforeAll
    void start() {
        Chromium.assumeInstalled();
        // credentials live an hour, and the backend runs 40 minutes behind the phone and the car: the first credential
        // is then already in the second half of its life when the app holds it, so the app's renewal shows
        app = CloudApp.start(dataDir, Map.of("latchkey.keys.lifetime", "1h"));
        app.clock().advance(Duration.ofMinutes(-40));
        admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        borrower = app.user("acme", admin, "pia@acme.test", "borrower");
        other = app.user("acme", admin, "otto@acme.test", "borrower");
        app.car("acme", operator, "car-1", "dev-car-1");
        app.car("acme", operator, "car-2", "dev-car-2");
        DeviceCredentials device = app.device("acme", "dev-car-1");
        app.device("acme", "dev-car-2");
        pinned = TestDevice.keys(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json());

        java.util.function.LongSupplier nanos = () -> System.nanoTime() + nanosAhead.get();
        CarClock clock = new CarClock(nanos);
        clock.trusted(Instant.now(), "test", CarTime.SKEW);
        carState = KeyStateFile.open(carDir);
        car = new OfflineKeys(new OfflineKeys.Identity("acme", "dev-car-1", DeviceKeys.signing(device.key().getPrivate())),
                new OfflineKeyVerifier(pinned, "acme", "dev-car-1"), clock, carState, new KeyActions() {
                    @Override
                    public CompletableFuture<Done> perform(KeyRight action) {
                        performed.add(action);
                        return CompletableFuture.completedFuture(new Done("EXECUTED", null,
                                action == KeyRight.UNLOCK ? LockState.UNLOCKED : LockState.LOCKED));
                    }

                    @Override
                    public LockState lockState() {
                        return LockState.LOCKED;
                    }
                }, journal::add, new SecureRandom(), nanos, Clock.systemUTC());
        ble = new SimulatedBleKeyLink();
        car.advertiseOn(ble);
        chrome = Chromium.phone("phone-key");
        browser = chrome.driver();
        wait = chrome.await();
    }

    @AfterEach
    void keep() {
        if (chrome != null) {
            chrome.keepThePage();
        }
    }

    @AfterAll
    void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (car != null) {
            car.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void thePhoneKey_opensTheCarByQrAndBluetooth_offlineToo_andNotOnceRevoked() throws Exception {
        String base = app.baseUri().toString();
        // reserved now (the backend's now) and extended to three hours: longer than a credential's life
        JsonNode reserved = expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1", "immediate", true)))
                .json();
        String bookingId = reserved.path("id").asText();
        expect(200, app.http.postJson("/t/acme/bookings/" + bookingId + "/extend", borrower,
                Map.of("end", Instant.parse(reserved.path("start").asText()).plus(Duration.ofHours(3)).toString())));
        // another borrower's key on another car, revoked: the tenant's list names it, and the app carries the list
        String otherBooking = expect(201, app.http.postJson("/t/acme/bookings", other, Map.of("carId", "car-2", "immediate", true)))
                .text("id");
        String someKey = io.latchkey.protocol.key.HolderKeys.encode(io.latchkey.protocol.key.HolderKeys.publicOf(
                io.latchkey.protocol.key.PhoneKey.newHolderKey(new SecureRandom())));
        String otherKeyId = Json.read(Ed25519.fromBase64url(Json.read(expect(201, app.http.postJson(
                "/t/acme/bookings/" + otherBooking + "/keys", other, Map.of("publicKey", someKey))).body().getBytes(StandardCharsets.UTF_8),
                TenantSigned.class).document()), KeyCredential.class).keyId();
        expect(200, app.http.postJson("/t/acme/keys/" + otherKeyId + "/revoke", operator, Map.of()));

        // signed in, the car page gets the booking's key
        browser.get(base + "/t/acme/app/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        chrome.checkConsole("/t/acme/session");
        chrome.signIn("pia@acme.test", CloudApp.PASSWORD, "phone-key");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-status"), "works without network"));
        JsonNode issued = expect(200, app.http.get("/t/acme/bookings/" + bookingId + "/keys", borrower)).json();
        assertThat(issued).hasSize(1);
        String keyId = issued.get(0).path("keyId").asText();
        Map<String, Object> stored = storedKey(bookingId);
        assertThat(stored.get("keyId")).isEqualTo(keyId);
        // Chromium headless has no Bluetooth adapter: the app says so and offers the QR code
        String absent = browser.findElement(By.id("ble-absent")).getText();
        assertThat(absent).satisfiesAnyOf(t -> assertThat(t).contains("Bluetooth is not available on this device"),
                t -> assertThat(t).contains("This browser cannot use Bluetooth"));
        assertThat(browser.findElements(By.id("ble-unlock"))).isEmpty();

        // the private key cannot be read out of the browser; the record holds CryptoKeys, no key bytes
        assertThat(stored.get("privateType")).isEqualTo("private");
        assertThat(stored.get("extractable")).isEqualTo(false);
        assertThat(stored.get("exportPkcs8")).asString().startsWith("InvalidAccessError");
        assertThat(stored.get("exportJwk")).asString().startsWith("InvalidAccessError");
        assertThat(stored.get("fields")).asString().isEqualTo("bookingId,counter,credential,envelope,privateKey,publicKey,publicRaw");

        // QR: read from the real canvas, scanned by the car
        browser.findElement(By.id("qr-unlock")).click();
        String first = readQr(0);
        KeyMessages.QrPayload payload = KeyMessages.readQr(first);
        assertThat(payload.presentation().action()).isEqualTo(KeyRight.UNLOCK);
        long firstCounter = payload.presentation().counter();
        browser.executeScript("document.getElementById('key-qr').scrollIntoView({block: 'end'});");
        chrome.screenshot("qr");
        String second = readQr(firstCounter); // redrawn within 5 s with the next counter
        assertThat(KeyMessages.readQr(second).presentation().counter()).isEqualTo(firstCounter + 1);
        car.scanned(second);
        assertThat(performed).containsExactly(KeyRight.UNLOCK);
        assertThat(lastUse()).containsEntry("channel", "QR").containsEntry("outcome", "EXECUTED").containsEntry("keyId", keyId);
        car.scanned(first); // an older counter
        assertThat(lastUse()).containsEntry("outcome", "REJECTED").containsEntry("reason", "REPLAYED");
        nanosAhead.addAndGet(Duration.ofSeconds(6).toNanos()); // past the scanner's 5 s "same code" window
        car.scanned(second); // the same counter again
        assertThat(lastUse()).containsEntry("outcome", "REJECTED").containsEntry("reason", "REPLAYED");
        assertThat(performed).hasSize(1);

        // BLE through the stand-in: the app's hello carries the list, the car keeps it; the car's signed answer checked.
        // Opening the car page again online renews the credential (in its second half, the booking goes on after it)
        // for the same key pair
        installBluetoothStandIn(OfflineKeys.localName("acme", "dev-car-1"));
        browser.navigate().to(base + "/t/acme/app/#/bookings");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bookings")));
        browser.navigate().to(base + "/t/acme/app/#/car/" + bookingId);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("ble-unlock")));
        JsonNode renewed = expect(200, app.http.get("/t/acme/bookings/" + bookingId + "/keys", borrower)).json();
        assertThat(renewed).hasSize(2);
        String renewedKeyId = renewed.get(1).path("keyId").asText();
        Map<String, Object> after = storedKey(bookingId);
        assertThat(after.get("keyId")).isEqualTo(renewedKeyId).isNotEqualTo(keyId);
        assertThat(after.get("publicRaw")).isEqualTo(stored.get("publicRaw"));
        browser.findElement(By.id("ble-unlock")).click();
        relay("key-outcome", UnaryOperator.identity());
        assertThat(browser.findElement(By.id("key-outcome")).getText()).isEqualTo("Unlocked over Bluetooth. The car confirmed it.");
        assertThat(performed).containsExactly(KeyRight.UNLOCK, KeyRight.UNLOCK);
        assertThat(lastUse()).containsEntry("channel", "BLE").containsEntry("outcome", "EXECUTED").containsEntry("action", "UNLOCK")
                .containsEntry("keyId", renewedKeyId);
        assertThat(car.revocationSerial()).as("the phone carried the tenant's list to the car").isGreaterThanOrEqualTo(1);
        assertThat(String.valueOf(browser.executeScript("return window.__lkBle.requests[0];")))
                .contains(OfflineKeys.localName("acme", "dev-car-1")).contains(SERVICE);
        chrome.screenshot("bluetooth");
        // an answer altered on the way (lockState) no longer carries the car's signature: the app does not believe it
        browser.findElement(By.id("ble-lock")).click();
        relay("key-outcome", message -> message.replace("\"lockState\":\"LOCKED\"", "\"lockState\":\"UNLOCKED\""));
        assertThat(browser.findElement(By.id("key-outcome")).getText()).contains("not signed by this car");

        // offline: the page comes from the cache, the key from IndexedDB; a QR code to lock, accepted by the car
        wait.until(d -> cachedUrls().containsAll(List.of(base + "/t/acme/app/key.js", base + "/t/acme/app/qrcodegen.js")));
        chrome.checkConsole(null);
        browser.setNetworkConditions(new ChromiumNetworkConditions() {{ setOffline(true); }});
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("offline")));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("qr-lock"))).click();
        String offline = readQr(0);
        int before = performed.size();
        car.scanned(offline);
        assertThat(performed).hasSize(before + 1).last().isEqualTo(KeyRight.LOCK);
        assertThat(lastUse()).containsEntry("channel", "QR").containsEntry("outcome", "EXECUTED").containsEntry("action", "LOCK");
        chrome.screenshot("offline-qr", "ERR_INTERNET_DISCONNECTED");
        String unused = readQr(KeyMessages.readQr(offline).presentation().counter()); // shown, never scanned
        browser.deleteNetworkConditions();

        // a lost phone: the key is revoked; the car, told the tenant's list, refuses the code it had not seen
        expect(200, app.http.postJson("/t/acme/users/me/keys/revoke", borrower, Map.of()));
        TenantSigned list = Json.read(expect(200, app.http.get("/t/acme/keys/revocations", borrower)).body()
                .getBytes(StandardCharsets.UTF_8), TenantSigned.class);
        assertThat(car.revocations(list, "cloud")).isTrue();
        car.scanned(unused);
        assertThat(lastUse()).containsEntry("outcome", "REJECTED").containsEntry("reason", "REVOKED");
        assertThat(performed).hasSize(before + 1);
        // online again, the app learns it too and no longer offers the key
        browser.navigate().to(base + "/t/acme/app/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-status"), "revoked"));
        assertThat(browser.findElement(By.id("key-actions")).isDisplayed()).isFalse();
        chrome.screenshot("revoked");
        chrome.assertClean();
    }

    @Test
    @Order(2)
    void aCoDriver_namedInTheApp_getsAKeyOfTheirOwn_acceptedAtTheCar_andRefusedOnceDropped() throws Exception {
        String base = app.baseUri().toString();
        // the car is free for this booking: what an earlier test left open on it is cancelled
        for (JsonNode open : expect(200, app.http.get("/t/acme/bookings?carId=car-1&state=CONFIRMED,ACTIVE", operator)).json().path("items")) {
            expect(200, app.http.postJson("/t/acme/bookings/" + open.path("id").asText() + "/cancel", operator, Map.of()));
        }
        String bea = app.user("acme", admin, "bea@acme.test", "borrower");
        String cora = app.user("acme", admin, "cora@acme.test", "borrower");
        String coraId = expect(200, app.http.get("/t/acme/users/me", cora)).text("id");
        String bookingId = expect(201, app.http.postJson("/t/acme/bookings", bea, Map.of("carId", "car-1", "immediate", true))).text("id");

        // the co-driver reads their code in the app
        browser.get(base + "/t/acme/app/");
        signOutIfSignedIn();
        chrome.signIn("cora@acme.test", CloudApp.PASSWORD, "nav");
        browser.navigate().to(base + "/t/acme/app/#/account");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("co-driver-code")));
        String code = browser.findElement(By.id("co-driver-code")).getText();
        assertThat(code).isEqualTo(coraId);
        signOut();

        // the borrower holds a key (the car page), then names the co-driver on the booking
        chrome.signIn("bea@acme.test", CloudApp.PASSWORD, "nav");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-status"), "works without network"));
        browser.navigate().to(base + "/t/acme/app/#/bookings");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("co-drivers-" + bookingId))).sendKeys(code);
        browser.findElement(By.cssSelector("#bookings form.co-drivers button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("co-drivers-" + bookingId + "-outcome"), "Saved: 1 co-driver."));
        assertThat(expect(200, app.http.get("/t/acme/bookings/" + bookingId, bea)).json().path("coDrivers"))
                .extracting(JsonNode::asText).containsExactly(coraId);
        List<String> beasKeys = expect(200, app.http.get("/t/acme/bookings/" + bookingId + "/keys", bea)).json().findValuesAsText("keyId");
        assertThat(beasKeys).isNotEmpty();
        chrome.screenshot("co-drivers");
        signOut();

        // the co-driver's app lists the booking and gets a key of its own, derived from the borrower's
        chrome.signIn("cora@acme.test", CloudApp.PASSWORD, "nav");
        browser.navigate().to(base + "/t/acme/app/#/bookings");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("co-driving")));
        chrome.screenshot("co-driving");
        browser.findElement(By.cssSelector("#co-driving a.button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-status"), "works without network"));
        assertThat(browser.findElement(By.id("key-status")).getText()).contains("The borrower shared it with you.");
        Map<String, Object> stored = storedKey(bookingId);
        JsonNode held = expect(200, app.http.get("/t/acme/bookings/" + bookingId + "/keys", cora)).json();
        assertThat(held).hasSize(1);
        String coraKey = held.get(0).path("keyId").asText();
        assertThat(stored.get("keyId")).isEqualTo(coraKey).isNotIn(beasKeys);
        assertThat(stored.get("holderUserId")).isEqualTo(coraId);
        assertThat(stored.get("parentKeyId")).isEqualTo(held.get(0).path("parentKeyId").asText()).isIn(beasKeys);
        assertThat(stored.get("extractable")).isEqualTo(false);

        // presented like the borrower's: the car accepts the co-driver's QR code
        browser.findElement(By.id("qr-unlock")).click();
        String accepted = readQr(0);
        int before = performed.size();
        car.scanned(accepted);
        assertThat(performed).hasSize(before + 1).last().isEqualTo(KeyRight.UNLOCK);
        assertThat(lastUse()).containsEntry("channel", "QR").containsEntry("outcome", "EXECUTED").containsEntry("keyId", coraKey);
        chrome.screenshot("co-driver-key");

        // the borrower drops the co-driver: the derived key is revoked, and the car told the list refuses the next code
        expect(200, app.http.putJson("/t/acme/bookings/" + bookingId + "/co-drivers", bea, Map.of("coDrivers", List.of())));
        TenantSigned list = Json.read(expect(200, app.http.get("/t/acme/keys/revocations", cora)).body()
                .getBytes(StandardCharsets.UTF_8), TenantSigned.class);
        assertThat(car.revocations(list, "cloud")).isTrue();
        car.scanned(readQr(KeyMessages.readQr(accepted).presentation().counter()));
        assertThat(lastUse()).containsEntry("outcome", "REJECTED").containsEntry("reason", "REVOKED").containsEntry("keyId", coraKey);
        assertThat(performed).hasSize(before + 1);
        // and the booking is no longer among the co-driver's
        browser.navigate().to(base + "/t/acme/app/#/bookings");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bookings")));
        assertThat(browser.findElements(By.id("co-driving"))).isEmpty();
        signOut();
        expect(200, app.http.postJson("/t/acme/bookings/" + bookingId + "/cancel", bea, Map.of()));
        chrome.assertClean();
    }

    void signOutIfSignedIn() {
        wait.until(d -> !d.findElements(By.id("sign-in")).isEmpty() || d.findElement(By.id("nav")).isDisplayed());
        if (browser.findElement(By.id("nav")).isDisplayed()) {
            signOut();
        }
    }

    void signOut() {
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        chrome.checkConsole("/t/acme/session");
    }

    // ---------- the page ----------

    /** Waits for a QR code whose counter is above {@code after}, and decodes the canvas's pixels. */
    String readQr(long after) throws Exception {
        wait.withTimeout(Duration.ofSeconds(12)).until(d -> {
            Object c = browser.executeScript("const c = document.getElementById('key-qr'); return c ? c.dataset.counter : null;");
            return c != null && Long.parseLong(c.toString()) > after;
        });
        String png = (String) browser.executeScript("return document.getElementById('key-qr').toDataURL('image/png');");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        // The canvas is the code alone (quiet zone, whole modules of 4 px): read it as a pure barcode, module by
        // module. The finder-pattern detector alone (tried second) once failed to find a dense code in CI.
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        String text;
        try {
            text = new MultiFormatReader().decode(bitmap, Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
                    DecodeHintType.PURE_BARCODE, true)).getText();
        } catch (com.google.zxing.NotFoundException pure) {
            text = new MultiFormatReader().decode(bitmap, Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
                    DecodeHintType.TRY_HARDER, true)).getText();
        }
        assertThat(text).startsWith(KeyMessages.QR_PREFIX);
        return text;
    }

    /** The key record in IndexedDB, as the page sees it, and what exporting its private key does. */
    @SuppressWarnings("unchecked")
    Map<String, Object> storedKey(String bookingId) {
        return (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open('lk-app-keys');
                open.onsuccess = () => {
                  const read = open.result.transaction('keys').objectStore('keys').get(arguments[0]);
                  read.onsuccess = async () => {
                    const k = read.result;
                    const fail = (format) => crypto.subtle.exportKey(format, k.privateKey).then(() => 'exported!', (e) => e.name + ': ' + e.message);
                    done({keyId: k.credential.keyId, holderUserId: k.credential.holder.userId,
                      parentKeyId: k.credential.parent ? k.credential.parent.keyId : null, publicRaw: k.publicRaw, privateType: k.privateKey.type, extractable: k.privateKey.extractable,
                      exportPkcs8: await fail('pkcs8'), exportJwk: await fail('jwk'), fields: Object.keys(k).sort().join(',')});
                  };
                };
                open.onerror = () => done({error: String(open.error)});""", bookingId);
    }

    @SuppressWarnings("unchecked")
    List<String> cachedUrls() {
        return (List<String>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const urls = [];
                  for (const name of await caches.keys()) {
                    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
                  }
                  return urls;
                })().then(done, () => done([]));""");
    }

    /**
     * A stand-in for Web Bluetooth in the page: requestDevice answers only a filter with the car's name and the key
     * service; writes are queued for {@link #relay}; {@code __lkBleNotify} delivers the car's notifications.
     */
    void installBluetoothStandIn(String carName) {
        browser.executeScript("""
                const name = arguments[0], SERVICE = arguments[1];
                const st = {out: [], requests: [], listeners: [], connected: false, connects: 0, disconnects: 0};
                window.__lkBle = st;
                const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
                const notify = {
                  value: null,
                  addEventListener(type, fn) { if (type === 'characteristicvaluechanged') st.listeners.push(fn); },
                  removeEventListener(type, fn) { st.listeners = st.listeners.filter((f) => f !== fn); },
                  async startNotifications() { return notify; },
                };
                const write = {
                  async writeValueWithResponse(bytes) {
                    if (!st.connected) throw new DOMException('GATT Server is disconnected.', 'NetworkError');
                    st.out.push(b64(new Uint8Array(bytes)));
                  },
                };
                const service = {
                  async getCharacteristic(uuid) {
                    if (uuid === '6c6b0002-7a3c-4e0f-9a55-4c4154434b31') return write;
                    if (uuid === '6c6b0003-7a3c-4e0f-9a55-4c4154434b31') return notify;
                    throw new DOMException('No Characteristics matching UUID ' + uuid, 'NotFoundError');
                  },
                };
                const server = {
                  async getPrimaryService(uuid) {
                    if (uuid !== SERVICE) throw new DOMException('No Services matching UUID ' + uuid, 'NotFoundError');
                    return service;
                  },
                  disconnect() { st.connected = false; st.disconnects++; },
                };
                const device = {name, gatt: {async connect() { st.connected = true; st.connects++; return server; }}};
                window.__lkBleNotify = (text) => {
                  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
                  notify.value = new DataView(bytes.buffer);
                  for (const fn of [...st.listeners]) fn({target: notify});
                };
                Object.defineProperty(navigator, 'bluetooth', {configurable: true, value: {
                  async getAvailability() { return true; },
                  async requestDevice(options) {
                    st.requests.push(JSON.stringify(options));
                    const ok = (options.filters || []).some((f) => f.name === name) && (options.optionalServices || []).includes(SERVICE);
                    if (!ok) throw new DOMException('User cancelled the requestDevice() chooser.', 'NotFoundError');
                    return device;
                  },
                }});""", carName, SERVICE);
    }

    /**
     * Relays the page's GATT writes to the car's simulated link and the car's answers back as notifications (each
     * re-framed and cut into 20-byte pieces, through {@code alter}), until the app's outcome is no longer the
     * "Looking…" it shows while it waits, and the page has let go of the connection.
     */
    @SuppressWarnings("unchecked")
    void relay(String outcomeId, UnaryOperator<String> alter) {
        SimulatedBleKeyLink.Phone phone = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> state = (Map<String, Object>) browser.executeScript(
                    "return {out: window.__lkBle.out.splice(0), connected: window.__lkBle.connected,"
                            + " outcome: document.getElementById(arguments[0]).textContent};", outcomeId);
            boolean connected = Boolean.TRUE.equals(state.get("connected"));
            if (connected && phone == null) {
                phone = ble.connect();
            }
            for (Object chunk : (List<Object>) state.get("out")) {
                phone.write(Base64.getDecoder().decode(chunk.toString()));
            }
            if (phone != null) {
                byte[] answer;
                while ((answer = phone.receive(Duration.ofMillis(30))) != null) {
                    byte[] altered = alter.apply(new String(answer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    for (byte[] piece : KeyFrames.chunks(KeyFrames.encode(altered), 20)) {
                        browser.executeScript("window.__lkBleNotify(arguments[0]);", Base64.getEncoder().encodeToString(piece));
                    }
                }
            }
            String outcome = String.valueOf(state.get("outcome"));
            if (phone != null && !connected && !outcome.startsWith("Looking")) {
                phone.disconnect();
                return;
            }
            sleep(30);
        }
        throw new AssertionError("the BLE exchange did not end: " + browser.findElement(By.id(outcomeId)).getText());
    }

    Map<String, String> lastUse() {
        assertThat(journal).isNotEmpty();
        DeviceEvent last = journal.get(journal.size() - 1);
        assertThat(last.type()).isEqualTo(OfflineKeys.EVENT);
        return last.details();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
