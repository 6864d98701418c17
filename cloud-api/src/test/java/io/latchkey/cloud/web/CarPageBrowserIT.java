package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's operator journey on the car page, in Debian's Chromium against the real backend and a simulated car
 * (a {@link TestDevice} whose interlock refuses IMMOBILISE as the agent does): sign in through the tenant's sign-in
 * page, open a car that drove and is driving again, its telemetry drawn as charts (one point per record), a trip shown
 * on the map and replayed (the marker moves), the state following the fleet stream, immobilise refused while the car
 * moves (the refusal in words), lock after a confirmation (EXECUTED shown), an alert acknowledged, the car's bookings
 * and the bookings timeline (a booking opened and cancelled), and the audit trail verified through the page's session
 * with the commands in it. Screenshots under {@code target/browser-screenshots/console-car-*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarPageBrowserIT {
    static final String FUEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
    static final String VOLTAGE = "Vehicle.LowVoltageBattery.CurrentVoltage";

    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String operatorId;
    String borrower;
    Map<String, PublicKey> keys;
    Chromium chrome;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() throws IOException {
        Chromium.assumeInstalled();
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "3s"));
        admin = app.tenantWithAdmin("acme");
        // the operator of a small fleet is its tenant-admin as well: the audit trail's verification is for that role
        operatorId = expect(201, app.http.postJson("/t/acme/users", admin, Map.of("email", "olga@acme.test", "name", "Olga",
                "password", CloudApp.PASSWORD, "roles", List.of("operator", "tenant-admin")))).text("id");
        borrower = app.user("acme", admin, "bob@acme.test", "borrower");
        keys = TestDevice.keys(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json());
        chrome = Chromium.desktop("console-car", 1280, 900);
        browser = chrome.driver();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void keepThePageOnFailure() {
        if (chrome != null) {
            chrome.keepThePage();
        }
    }

    @Test
    void operatorJourney_car_charts_tripReplay_immobiliseRefusedWhileMoving_lock_alert_bookings_audit() throws Exception {
        String token = app.token("acme", "olga@acme.test");
        app.car("acme", token, "car-1", "dev-car-1");
        Instant t0 = Instant.now().minusSeconds(600);
        Instant bookingStart = Instant.now().plusSeconds(120);
        String bookingId = expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", bookingStart.toString(), "end", bookingStart.plusSeconds(3 * 3600).toString()))).text("id");
        // tomorrow's bookings of two more cars, for the day view
        java.time.LocalDate tomorrow = java.time.LocalDate.now().plusDays(1);
        app.car("acme", token, "car-2", "dev-car-2");
        app.car("acme", token, "car-3", "dev-car-3");
        String later = book("car-2", tomorrow.atTime(9, 0), tomorrow.atTime(17, 0));
        book("car-3", tomorrow.atTime(12, 30), tomorrow.atTime(20, 0));
        try (TestDevice car = new TestDevice(app, "acme", "dev-car-1", keys, app.clock()).withInterlock()) {
            car.publishState(true);
            // a finished trip (ignition on at seq 1, parked at seq 5), then driving again (seq 6..8, unlocked)
            List<TelemetryRecord> records = new ArrayList<>();
            double[] speeds = {0, 30, 50, 20, 0, 10, 35, 40};
            for (int i = 0; i < speeds.length; i++) {
                boolean ignition = i != 4;
                records.add(new TelemetryRecord(i + 1, t0.plusSeconds(60L * i), 52.50 + 0.004 * i, 13.40 + 0.002 * i, speeds[i],
                        1000.0 + 0.5 * i, i < 5 ? LockState.LOCKED : LockState.UNLOCKED, false, ignition, 3,
                        Map.of(FUEL, 60.0 - 0.2 * i, VOLTAGE, 12.6 - 0.1 * i), "PERIODIC"));
            }
            car.publishTelemetry(records.toArray(TelemetryRecord[]::new));
            await().atMost(Duration.ofSeconds(10)).until(() -> !car.receipts().isEmpty());
            // the borrower left it unlocked: the pretend car's lock agrees with its telemetry
            expect(200, app.http.postJson("/t/acme/cars/car-1/commands", token, Map.of("type", "UNLOCK")));
            car.publishRaw(Channel.EVENT, Json.write(new DeviceEvent("dev-car-1", "TAMPER", t0.plusSeconds(200),
                    Map.of("signal", "obd-port"))));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    expect(200, app.http.get("/t/acme/events?carId=car-1", token)).json().path("events").size() == 1);

            // the installer's signed self-test: one check failed
            installReport(token, Pem.certificate(app.device("acme", "dev-car-1").certificatePem()).getSerialNumber().toString(16));

            // sign in through the tenant's sign-in page with the console's client
            String base = app.baseUri().toString();
            browser.get(base + "/t/acme/console/");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys("olga@acme.test");
            browser.findElement(By.id("password")).sendKeys(CloudApp.PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-bookings")));
            chrome.checkConsole("/t/acme/session");

            // the car: its state, the charts (one point per record), its booking on the week's timeline
            browser.get(base + "/t/acme/console/#/cars/car-1");
            wait.until(ExpectedConditions.attributeToBe(By.id("chart-speed"), "data-points", "8"));
            assertThat(browser.findElements(By.cssSelector("#chart-speed circle.pt"))).hasSize(8);
            assertThat(browser.findElements(By.cssSelector("#chart-energy circle.pt"))).hasSize(8);
            assertThat(browser.findElements(By.cssSelector("#chart-voltage circle.pt"))).hasSize(8);
            assertThat(browser.findElement(By.cssSelector("#chart-speed desc")).getAttribute("textContent"))
                    .contains("8 readings", "highest 50.0 km/h", "latest 40.0 km/h");
            assertThat(text("state-online")).startsWith("Online");
            assertThat(text("state-speed")).isEqualTo("40 km/h");
            assertThat(text("state-ignition")).isEqualTo("On");
            assertThat(text("state-lock")).isEqualTo("Unlocked");
            assertThat(text("state-energy")).isEqualTo("59 %");
            assertThat(text("state-voltage")).isEqualTo("11.9 V");
            assertThat(browser.findElements(By.cssSelector("#car-map path.car-marker"))).hasSize(1);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#car-bookings .tl-bar[data-booking='" + bookingId + "']")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-ack]")));
            assertThat(text("installation")).contains("Checks failed: 1 of 2", "GNSS fix: no fix (move the car into the open)");
            chrome.screenshot("car");
            scrollTo("telemetry-title");
            chrome.screenshot("charts");

            // live: the next record moves the state without a reload
            car.publishTelemetry(new TelemetryRecord(9, t0.plusSeconds(480), 52.54, 13.42, 25.0, 1004.5, LockState.UNLOCKED, false,
                    true, 3, Map.of(FUEL, 58.4, VOLTAGE, 12.2), "PERIODIC"));
            wait.until(ExpectedConditions.textToBe(By.id("state-speed"), "25 km/h"));
            assertThat(text("state-voltage")).isEqualTo("12.2 V");

            // the finished trip on the map, replayed: the marker moves and says when and how fast
            browser.findElement(By.cssSelector("button[data-trip='t-1']")).click();
            WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("replay-status")));
            assertThat(status.getText()).endsWith("0 km/h · point 1 of 5");
            assertThat(browser.findElements(By.cssSelector("#car-map path.trip-line"))).hasSize(1);
            String before = markerPath();
            browser.findElement(By.id("replay-play")).click();
            // played to its end (a point a second: not polled point by point, a loaded machine would miss one)
            wait.until(ExpectedConditions.textToBePresentInElement(status, "point 5 of 5"));
            wait.until(ExpectedConditions.textToBe(By.id("replay-play"), "Play"));
            assertThat(markerPath()).as("the replay marker moved").isNotEqualTo(before);
            // and stepped back with the keyboard on the position slider: the third point, at its speed
            browser.findElement(By.id("replay-position")).sendKeys(org.openqa.selenium.Keys.ARROW_LEFT, org.openqa.selenium.Keys.ARROW_LEFT);
            wait.until(ExpectedConditions.textToBePresentInElement(status, "point 3 of 5"));
            assertThat(status.getText()).contains("50 km/h");
            scrollTo("car-map");
            chrome.screenshot("trip-replay");

            // immobilise while the car moves: confirmed, refused by the car's interlock, said in words
            chrome.expectStatus("/t/acme/cars/car-1/commands", 409);
            browser.findElement(By.id("cmd-immobilise")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("command-outcome"), "REJECTED"));
            assertThat(text("command-outcome")).contains("refused to immobilise because the car is moving and the ignition is on");
            assertThat(text("state-immobiliser")).isEqualTo("Not known");
            assertThat(text("state-lock")).isEqualTo("Unlocked");
            chrome.screenshot("immobilise-refused");

            // lock: the confirmation, then the car's answer
            int commandsBefore = car.receivedCommands().size();
            browser.findElement(By.id("cmd-lock")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes")));
            chrome.screenshot("lock-confirm");
            browser.findElement(By.id("confirm-yes")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("command-outcome"), "EXECUTED"));
            assertThat(text("command-outcome")).startsWith("The car answered EXECUTED: the car is locked");
            wait.until(ExpectedConditions.textToBe(By.id("state-lock"), "Locked"));
            assertThat(car.receivedCommands()).hasSize(commandsBefore + 1);
            assertThat(car.verifier().verify(car.receivedCommands().get(commandsBefore)).type()).isEqualTo(CommandType.LOCK);

            // the alert, acknowledged
            browser.findElement(By.cssSelector("button[data-ack]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("event-outcome"), "Acknowledged"));
            JsonNode event = expect(200, app.http.get("/t/acme/events?carId=car-1", token)).json().path("events").get(0);
            assertThat(event.path("acknowledgedBy").asText()).isEqualTo(operatorId);
            assertThat(browser.findElements(By.cssSelector("button[data-ack]"))).isEmpty();
            chrome.screenshot("alert-acknowledged");

            // the bookings timeline: the booking, opened from its bar, cancelled after a confirmation
            browser.findElement(By.id("nav-bookings")).click();
            // the day the booking starts (the test may run just before midnight)
            wait.until(ExpectedConditions.elementToBeClickable(By.id("tl-date")));
            showDay(bookingStart.atZone(java.time.ZoneId.systemDefault()).toLocalDate().toString());
            WebElement bar = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#timeline .tl-bar[data-booking='" + bookingId + "']")));
            assertThat(bar.getText()).startsWith("Booked");
            assertThat(bar.getAttribute("data-state")).isEqualTo("CONFIRMED");
            assertThat(browser.findElements(By.cssSelector("#bookings-table tr[data-booking='" + bookingId + "']"))).hasSize(1);
            bar.click();
            WebElement detail = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("booking-detail-title")));
            assertThat(browser.findElement(By.id("booking-detail")).getText()).contains(bookingId, "Booked");
            assertThat(detail.getText()).contains("car-1");
            chrome.screenshot("bookings");
            browser.findElement(By.id("cancel-booking")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("booking-outcome"), "cancelled"));
            assertThat(expect(200, app.http.get("/t/acme/bookings/" + bookingId, token)).text("state")).isEqualTo("CANCELLED");
            wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#timeline .tl-bar[data-booking='" + bookingId + "']"), "data-state", "CANCELLED"));
            chrome.screenshot("booking-cancelled");
            showDay(tomorrow.toString());
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#timeline .tl-bar[data-booking='" + later + "']"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("booking-detail"), later));
            assertThat(browser.findElements(By.cssSelector("#timeline .tl-row:not(.tl-axis)"))).hasSizeGreaterThanOrEqualTo(2);
            chrome.screenshot("bookings-tomorrow");

            // the audit trail, through the page's own session: the chain verifies and holds this operator's commands
            JsonNode verify = fetch("/t/acme/audit/verify");
            assertThat(verify.path("status").asText()).isEqualTo("OK");
            JsonNode audit = fetch("/t/acme/audit?limit=1000");
            List<String> mine = new ArrayList<>();
            audit.forEach(r -> {
                if (operatorId.equals(r.path("actor").asText()) && r.path("subject").asText().startsWith("car/car-1")) {
                    mine.add(r.path("action").asText() + " " + r.path("outcome").asText());
                }
            });
            assertThat(mine).containsSubsequence("car.immobilise REJECTED", "car.lock EXECUTED");
            chrome.assertClean();
        }
    }

    void installReport(String token, String serial) throws Exception {
        Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("tenant", "acme");
        report.put("deviceId", "dev-car-1");
        report.put("carId", "car-1");
        report.put("certificateSerial", serial);
        report.put("installer", "installer-7");
        report.put("startedAt", Instant.now().minusSeconds(60).toString());
        report.put("finishedAt", Instant.now().toString());
        report.put("passed", false);
        report.put("checks", List.of(Map.of("name", "Door locks", "status", "PASS", "detail", "ok", "hint", ""),
                Map.of("name", "GNSS fix", "status", "FAIL", "detail", "no fix", "hint", "move the car into the open")));
        byte[] payload = Json.write(report);
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(app.device("acme", "dev-car-1").key().getPrivate());
        signer.update(payload);
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        expect(201, app.http.postJson("/t/acme/devices/dev-car-1/install-report", token, Map.of("payload", b64.encodeToString(payload),
                "signature", b64.encodeToString(signer.sign()), "certificate", app.device("acme", "dev-car-1").certificatePem())));
    }

    /** Chooses the timeline's day as the date field would. */
    void showDay(String isoDate) {
        browser.executeScript("const e = document.getElementById('tl-date'); e.value = arguments[0];"
                + " e.dispatchEvent(new Event('change'));", isoDate);
    }

    String book(String carId, java.time.LocalDateTime start, java.time.LocalDateTime end) {
        java.time.ZoneId zone = java.time.ZoneId.systemDefault();
        return expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", carId,
                "start", start.atZone(zone).toInstant().toString(), "end", end.atZone(zone).toInstant().toString()))).text("id");
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    void scrollTo(String id) {
        browser.executeScript("document.getElementById(arguments[0]).scrollIntoView({block: 'start'});", id);
    }

    String markerPath() {
        return browser.findElement(By.cssSelector("#car-map path.replay-marker")).getAttribute("d");
    }

    /** A GET from the page, with its session cookie (as the console's own calls): the JSON it answered. */
    JsonNode fetch(String path) throws IOException {
        Object body = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin', headers: {Accept: 'application/json'}})
                  .then((r) => r.text().then((t) => done(r.status + ' ' + t)), (e) => done('error ' + e));""", path);
        String answer = String.valueOf(body);
        assertThat(answer).as(path).startsWith("200 ");
        return new ObjectMapper().readTree(answer.substring(4));
    }
}
