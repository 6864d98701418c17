package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.ota.UpdateBundle;
import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.protocol.Keys;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
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
 * The console's Rollouts page in a real browser (Debian's Chromium, desktop), signed in as an operator: a running
 * rollout with its waves' counts, paused, resumed and cancelled (after the confirmation) from the page, each change
 * visible through the API too. Screenshots under {@code target/browser-screenshots/console-rollouts-*}; no browser
 * console error and no serious axe-core violation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRolloutsBrowserIT {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path work;
    CloudApp app;
    String operator;
    String rolloutId;
    Chromium chrome;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        Chromium.assumeInstalled();
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        for (String d : List.of("dev-001", "dev-002")) {
            app.car("acme", operator, "car-" + d, d);
            app.device("acme", d);
        }
        KeyPair key = Keys.newCommandKeyPair();
        expect(201, app.http.postJson("/t/acme/update-keys", operator, Map.of("kid", "upd-1", "publicKey", Keys.encodePublic(key.getPublic()))));
        Path release = Files.createDirectories(work.resolve("release"));
        Files.writeString(release.resolve("device-agent.jar"), "agent");
        UpdateBundle.build(release, work.resolve("b.zip"), "acme", "0.3.0", null, false, 1, Instant.now(), "upd-1", key.getPrivate());
        String releaseId = expect(201, app.http.send(HttpRequest.POST("/t/acme/releases", Files.readAllBytes(work.resolve("b.zip")))
                .contentType(MediaType.of("application/zip")).bearerAuth(operator))).text("id");
        rolloutId = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-dev-001", "car-dev-002")), "waves", List.of(50, 100)))).text("id");
        chrome = Chromium.desktop("console-rollouts", 1280, 900);
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
        if (app != null) {
            app.close();
        }
    }

    @Test
    void operator_seesTheWaves_pausesResumesAndCancels() {
        browser.get(app.baseUri() + "/t/acme/console/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        chrome.checkConsole("/t/acme/session");
        chrome.signIn("olga@acme.test", PASSWORD, "nav-alerts");
        click("nav-rollouts");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-rollout='" + rolloutId + "']")));
        assertThat(row.getText()).contains("0.3.0", "Running", "Wave 1 (50 %, 1 car): under way", "OFFERED 1",
                "Wave 2 (100 %, 1 car): waiting", "PENDING 1");
        chrome.screenshot("running");

        click("pause-" + rolloutId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollout-outcome"), "Rollout of 0.3.0: Paused."));
        assertThat(state()).isEqualTo("PAUSED");
        click("resume-" + rolloutId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollout-outcome"), "Rollout of 0.3.0: Running."));
        assertThat(state()).isEqualTo("RUNNING");

        click("cancel-" + rolloutId);
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm")));
        assertThat(dialog.getText()).contains("Cancel rollout of 0.3.0?", "finish on their own");
        chrome.screenshot("cancel-confirm");
        click("confirm-yes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollout-outcome"), "Rollout of 0.3.0: Cancelled."));
        assertThat(state()).isEqualTo("CANCELLED");
        WebElement cancelled = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-rollout='" + rolloutId + "']")));
        assertThat(cancelled.getText()).contains("Cancelled", "skipped");
        assertThat(browser.findElements(By.id("pause-" + rolloutId))).isEmpty();
        assertThat(browser.findElements(By.id("cancel-" + rolloutId))).isEmpty();
        chrome.screenshot("cancelled");
        chrome.assertClean();
    }

    private String state() {
        return expect(200, app.http.get("/t/acme/rollouts/" + rolloutId, operator)).json().path("state").asText();
    }

    private void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }
}
