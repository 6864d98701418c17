package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's fleet map and list in a real browser (Debian's Chromium, headless, 1280 × 900) against the real
 * backend and five stand-in cars on the embedded broker, one in each state: available, booked, in use, offline and
 * with an alert. The operator signs in through the tenant's sign-in page and sees every car on the map in its state's
 * colour (read from the canvas layer's read-only model, {@code window.lkFleetMap}), a car moving when it reports a
 * new position (no reload), the cars grouped into a count bubble when zoomed out with the keyboard, a car's summary
 * on a click with a link to its page; then the list, filtered by connection, lock and plate. A borrower who signs in
 * to the console is told it is for operators. Screenshots in {@code target/browser-screenshots/console-fleet-*}; any
 * browser console error or serious axe-core violation fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleFleetBrowserIT {
    static final Map<String, double[]> WHERE = new LinkedHashMap<>();

    static {
        WHERE.put("car-1", new double[] {52.520, 13.400});
        WHERE.put("car-2", new double[] {52.530, 13.420});
        WHERE.put("car-3", new double[] {52.510, 13.430});
        WHERE.put("car-4", new double[] {52.525, 13.380});
        WHERE.put("car-5", new double[] {52.505, 13.395});
    }

    @TempDir
    static Path dataDir;
    CloudApp app;
    String operator;
    String borrower;
    Map<String, TestDevice> cars = new LinkedHashMap<>();
    Chromium chrome;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        Chromium.assumeInstalled();
        app = CloudApp.start(dataDir, Map.of("latchkey.live.snapshot-refresh", "100ms", "latchkey.commands.timeout", "3s"));
        String admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        borrower = app.user("acme", admin, "bob@acme.test", "borrower");
        Map<String, PublicKey> keys = TestDevice.keys(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json());
        for (Map.Entry<String, double[]> car : WHERE.entrySet()) {
            app.car("acme", operator, car.getKey(), "dev-" + car.getKey());
            TestDevice device = new TestDevice(app, "acme", "dev-" + car.getKey(), keys, Clock.systemUTC());
            cars.put(car.getKey(), device);
            device.publishState(true);
            report(car.getKey(), 1, car.getValue()[0], car.getValue()[1]);
        }
        // car-2 booked (a booking covering now), car-3 in use (its borrower unlocked it), car-4 offline, car-5 an alert
        Instant now = Instant.now();
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-2",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(2)).toString())));
        String other = app.user("acme", admin, "rita@acme.test", "borrower");
        expect(201, app.http.postJson("/t/acme/bookings", other, Map.of("carId", "car-3", "immediate", true)));
        expect(200, app.http.postJson("/t/acme/cars/car-3/commands", other, Map.of("type", "UNLOCK")));
        cars.get("car-4").publishState(false);
        cars.get("car-5").publishRaw(Channel.EVENT, Json.write(new DeviceEvent("dev-car-5", "TAMPER", Instant.now(), Map.of())));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode items = expect(200, app.http.get("/t/acme/fleet", operator)).json().path("items");
            assertThat(items.path(1).path("activeBooking").path("state").asText()).isEqualTo("CONFIRMED");
            assertThat(items.path(2).path("activeBooking").path("state").asText()).isEqualTo("ACTIVE");
            assertThat(items.path(3).path("online").asBoolean()).isFalse();
            assertThat(items.path(4).path("openAlerts").asInt()).isPositive();
            assertThat(items).allSatisfy(i -> assertThat(i.path("lat").isNumber()).isTrue());
        });
        chrome = Chromium.desktop("console-fleet", 1280, 900);
        browser = chrome.driver();
        wait = chrome.await();
    }

    @AfterAll
    void stop() throws Exception {
        if (chrome != null) {
            chrome.close();
        }
        for (TestDevice d : cars.values()) {
            d.close();
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

    void report(String car, long seq, double lat, double lon) throws Exception {
        cars.get(car).publishTelemetry(new TelemetryRecord(seq, Instant.now(), lat, lon, 0.0, 1000.0 + seq,
                car.equals("car-3") ? LockState.UNLOCKED : LockState.LOCKED, false, false, 3,
                Map.of(LiveState.Readings.FUEL, car.equals("car-1") ? 12.0 : 60.0, LiveState.Readings.VOLTAGE, 12.6), "PERIODIC"));
    }

    @Test
    void operator_seesTheFleetLiveOnTheMap_clustersAndCarSummaries_andFiltersTheList() throws Exception {
        String base = app.baseUri().toString();
        browser.get(base + "/t/acme/console/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        // signed out, the shell's GET /session answers 401 (what tells it to offer the sign-in): the one expected error
        chrome.checkConsole("/t/acme/session");
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys("olga@acme.test");
        browser.findElement(By.id("password")).sendKeys(CloudApp.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        // the map: every car, in its state (colour and shape), fitted to the fleet
        await().atMost(Duration.ofSeconds(10)).until(() -> markers().size() == 5);
        Map<String, String> states = new LinkedHashMap<>();
        markers().forEach(m -> states.put((String) m.get("id"), (String) m.get("state")));
        assertThat(states).containsExactlyInAnyOrderEntriesOf(Map.of("car-1", "available", "car-2", "booked", "car-3", "in-use",
                "car-4", "offline", "car-5", "alert"));
        assertThat(clusters()).isEmpty();
        assertThat(text("legend-available")).isEqualTo("Available 1");
        assertThat(text("legend-alert")).isEqualTo("Alert 1");
        assertThat(text("legend-offline")).isEqualTo("Offline 1");
        Number firstPaint = (Number) browser.executeScript(
                "return performance.getEntriesByName('lk-map-first-paint').map((e) => e.startTime)[0];");
        assertThat(firstPaint).as("the first paint is marked for the measurements").isNotNull();
        chrome.screenshot("map");

        // a car reports a new position: its marker moves, without a reload
        browser.executeScript("window.lkNoReload = true;");
        Map<String, Object> before = marker("car-1");
        report("car-1", 2, 52.515, 13.410);
        await().atMost(Duration.ofSeconds(10)).until(() -> !marker("car-1").get("x").equals(before.get("x")));
        Map<String, Object> after = marker("car-1");
        assertThat(((Number) after.get("x")).doubleValue()).as("east: further right").isGreaterThan(((Number) before.get("x")).doubleValue());
        assertThat(((Number) after.get("y")).doubleValue()).as("south: further down").isGreaterThan(((Number) before.get("y")).doubleValue());
        assertThat(browser.executeScript("return window.lkNoReload === true;")).isEqualTo(true);

        // a new alert turns a car's marker red
        cars.get("car-1").publishRaw(Channel.EVENT, Json.write(new DeviceEvent("dev-car-1", "TAMPER", Instant.now(), Map.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> "alert".equals(marker("car-1").get("state")));

        // click a car: its summary, with the link to its page
        Map<String, Object> car2 = marker("car-2");
        clickAt(car2);
        WebElement open = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".fleet-popup a[href='#/cars/car-2']")));
        // (the map pans the summary into view: read it once it is all visible)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector(".fleet-popup")).getText()).contains("Car car-2", "Booked", "Locked"));
        assertThat(browser.switchTo().activeElement()).as("the link takes the focus").isEqualTo(open);
        // the map's popup fades in: axe-core measures contrast on what is drawn, so only once it is fully opaque
        await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(browser.executeScript(
                "const p = document.querySelector('.leaflet-popup'); return p ? getComputedStyle(p).opacity : null;")));
        chrome.screenshot("car-summary");

        // zoomed out with the keyboard: one bubble counting all five
        WebElement map = browser.findElement(By.id("fleet-map"));
        browser.executeScript("arguments[0].focus();", map);
        for (int i = 0; i < 6; i++) {
            new Actions(browser).sendKeys(Keys.SUBTRACT).perform();
            Thread.sleep(300);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> clusters().stream().anyMatch(c -> ((Number) c.get("count")).intValue() == 5));
        assertThat(markers()).isEmpty();
        chrome.screenshot("clustered");
        // clicking the bubble zooms back in to its cars
        clickAt(clusters().get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> markers().size() == 5);

        // the list: every car, its row linking to the car's page
        browser.findElement(By.id("nav-fleet")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fleet-rows tr"), 5));
        assertThat(browser.findElement(By.id("fleet-count")).getText()).isEqualTo("Cars 1–5 of 5.");
        assertThat(browser.findElement(By.cssSelector("#fleet-rows a[data-car=car-4]")).getAttribute("href")).endsWith("#/cars/car-4");
        assertThat(browser.findElement(By.cssSelector("#fleet-rows tr[data-car=car-3]")).getText()).contains("In use", "Unlocked");
        chrome.screenshot("list");

        new Select(browser.findElement(By.id("filter-online"))).selectByVisibleText("Online");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fleet-rows tr"), 4));
        assertThat(rows()).doesNotContain("car-4");
        browser.findElement(By.id("filter-unlocked")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fleet-rows tr"), 1));
        assertThat(rows()).containsExactly("car-3");
        browser.findElement(By.id("filter-unlocked")).click();
        new Select(browser.findElement(By.id("filter-online"))).selectByVisibleText("Any");
        browser.findElement(By.id("filter-low")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fleet-rows tr"), 1));
        assertThat(rows()).containsExactly("car-1");
        browser.findElement(By.id("filter-low")).click();
        String plate = expect(200, app.http.get("/t/acme/cars/car-2", operator)).text("plate");
        browser.findElement(By.id("filter-q")).sendKeys(plate.toLowerCase(java.util.Locale.ROOT).replace(" ", "") + Keys.ENTER);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fleet-rows tr"), 1));
        assertThat(rows()).containsExactly("car-2");
        chrome.screenshot("list-search");

        // a borrower in the console is told it is for operators
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        chrome.checkConsole("/t/acme/session");
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys("bob@acme.test");
        browser.findElement(By.id("password")).sendKeys(CloudApp.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Not an operator account"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("for operators and administrators");
        assertThat(browser.findElements(By.id("fleet-map"))).isEmpty();
        chrome.screenshot("borrower");
        chrome.assertClean();
    }

    void clickAt(Map<String, Object> point) {
        WebElement map = browser.findElement(By.id("fleet-map"));
        // Selenium's offsets are from the element's centre
        int x = (int) Math.round(((Number) point.get("x")).doubleValue() - map.getSize().getWidth() / 2.0);
        int y = (int) Math.round(((Number) point.get("y")).doubleValue() - map.getSize().getHeight() / 2.0);
        new Actions(browser).moveToElement(map, x, y).click().perform();
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText().replaceAll("\\s+", " ").strip();
    }

    List<String> rows() {
        return browser.findElements(By.cssSelector("#fleet-rows tr")).stream().map(r -> r.getAttribute("data-car")).toList();
    }

    Map<String, Object> marker(String id) {
        return markers().stream().filter(m -> id.equals(m.get("id"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> markers() {
        Object m = browser.executeScript("return window.lkFleetMap ? window.lkFleetMap.markers : [];");
        return (List<Map<String, Object>>) m;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> clusters() {
        return (List<Map<String, Object>>) browser.executeScript("return window.lkFleetMap ? window.lkFleetMap.clusters : [];");
    }
}
