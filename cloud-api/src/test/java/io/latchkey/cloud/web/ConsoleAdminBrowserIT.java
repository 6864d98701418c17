package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's administration pages in a real browser (Debian's Chromium, desktop), signed in through the tenant's
 * sign-in page as a tenant-admin: an alert raised before and one raised while the page is open (it arrives over the
 * fleet stream), acknowledged; a borrower locked and unlocked, a role granted; the audit trail verified and showing
 * those actions; the command key rotated; a read-only data-access link created (and it reads). Then the session is
 * ended on the server from another request: the next click shows the sign-in again. Signed in as an operator, the
 * tenant-admin's pages and actions are not offered. Screenshots under {@code target/browser-screenshots/console-admin-*};
 * no browser console error and no serious axe-core violation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAdminBrowserIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String adminId;
    String beaId;
    Chromium chrome;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() {
        Chromium.assumeInstalled();
        app = CloudApp.start(dataDir, Map.of());
        admin = app.tenantWithAdmin("acme");
        adminId = expect(200, app.http.get("/t/acme/users/me", admin)).text("id");
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        expect(201, app.http.postJson("/t/acme/users", admin, Map.of("email", "bea@acme.test", "name", "Bea Borrower",
                "password", PASSWORD, "roles", List.of("borrower"))));
        beaId = expect(200, app.http.get("/t/acme/users/me", app.token("acme", "bea@acme.test"))).text("id");
        app.car("acme", operator, "car-1", "dev-001");
        chrome = Chromium.desktop("console-admin", 1280, 900);
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
    void tenantAdmin_acknowledges_locksUnlocks_grantsARole_verifiesTheAudit_rotatesAKey_createsALink() throws Exception {
        Events events = app.context().getBean(Events.class);
        String tamper = events.raise("acme", "car-1", "TAMPER", Map.of("signal", "obd-port")).id();
        signIn("admin@acme.test");

        // alerts: the open one, then one raised while the page is open arrives over the fleet stream
        click("nav-alerts");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-event='" + tamper + "']")));
        String lowVoltage = events.raise("acme", "car-1", "LOW_VOLTAGE", Map.of("voltage", "11.4")).id();
        WebElement live = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-event='" + lowVoltage + "']")));
        assertThat(live.getText()).contains("car-1", "12 V battery low", "voltage: 11.4 V");
        assertThat(browser.findElement(By.id("alert-news")).getText()).contains("New alert: 12 V battery low on car-1");
        assertThat(browser.findElements(By.cssSelector("#alert-rows tr")).get(0).getAttribute("data-event"))
                .as("newest first").isEqualTo(lowVoltage);
        chrome.screenshot("alerts");
        browser.findElement(By.cssSelector("tr[data-event='" + tamper + "'] button.ack")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-outcome"), "Acknowledged: Tampering detected on car-1 (by you"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-event='" + tamper + "']"), 0));
        JsonNode acked = expect(200, app.http.get("/t/acme/events/" + tamper, admin)).json();
        assertThat(acked.path("acknowledgedBy").asText()).isEqualTo(adminId);
        click("show-acked");
        WebElement ackedRow = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-event='" + tamper + "']")));
        assertThat(ackedRow.getText()).contains("Acknowledged by you");
        chrome.screenshot("alerts-acknowledged");

        // users: the list shows display names only; Bea's page; lock, unlock, grant a role, each confirmed
        click("nav-users");
        WebElement bea = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-user='" + beaId + "']")));
        assertThat(bea.getText()).contains("Bea B.", "Borrower", "Active").doesNotContain("bea@acme.test", "Borrower Bea");
        assertThat(browser.findElement(By.id("users")).getText()).doesNotContain("@acme.test");
        chrome.screenshot("users");
        bea.findElement(By.linkText("Bea B.")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("lock"))).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm")));
        assertThat(dialog.getText()).contains("Lock Bea B.?", "sessions end now", "open bookings are cancelled");
        chrome.screenshot("user-lock-confirm");
        click("confirm-yes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-outcome"), "Locked: Bea B. cannot sign in"));
        assertThat(browser.findElement(By.id("user-state")).getText()).isEqualTo("Locked");
        assertThat(status(beaId)).isEqualTo("LOCKED_PERMANENTLY");
        assertThat(browser.findElement(By.id("user-facts")).getText()).contains("Bea Borrower", "bea@acme.test");
        chrome.screenshot("user-locked");
        click("unlock");
        click("confirm-yes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-outcome"), "Unlocked: Bea B. can sign in again."));
        assertThat(status(beaId)).isEqualTo("ACTIVE");
        click("role-owner");
        click("save-roles");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm"))).getText()).contains("Grant: Owner.");
        click("confirm-yes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-outcome"), "Roles changed: Bea B. is now Borrower, Owner."));
        assertThat(expect(200, app.http.get("/t/acme/users/" + beaId, admin)).json().path("roles").toString())
                .isEqualTo("[\"borrower\",\"owner\"]");
        chrome.screenshot("user-roles");

        // the audit trail: verified, and those actions in it
        click("nav-audit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#audit-rows tr")));
        click("verify");
        long records = expect(200, app.http.get("/t/acme/audit/verify", admin)).json().path("records").asLong();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"),
                "Chain intact up to record #" + (records - 1) + ": all " + records + " records"));
        String trail = browser.findElement(By.id("audit-rows")).getText();
        assertThat(trail).contains("event.ack", "user.lock", "user.unlock", "user.roles.change", "user/" + beaId + " roles=borrower,owner");
        assertThat(browser.findElements(By.cssSelector("#audit-rows tr")).get(0).getText()).as("newest first").contains("user.roles.change");
        chrome.screenshot("audit");
        browser.findElement(By.id("audit-action")).sendKeys("user.lock");
        browser.findElement(By.cssSelector("#audit-filter button[type=submit]")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#audit-rows tr"), 1));
        assertThat(browser.findElement(By.id("audit-rows")).getText()).contains("user.lock", "user/" + beaId);

        // settings: the command key rotated after its explanation; a read-only link, shown once
        String kidBefore = commandKid();
        click("nav-settings");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("rotate-command"))).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm"))).getText())
                .contains("Cars accept only commands signed with a key they know", "Nobody is signed out");
        chrome.screenshot("rotate-confirm");
        click("confirm-yes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-outcome"), "Rotated: commands are now signed with key"));
        assertThat(commandKid()).isNotEqualTo(kidBefore);
        assertThat(browser.findElement(By.id("key-outcome")).getText()).contains(commandKid());
        click("create-link");
        WebElement url = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("access-url")));
        String link = url.getAttribute("value");
        assertThat(link).contains("/t/acme/exports/");
        assertThat(browser.findElement(By.id("access-expiry")).getText()).startsWith("Valid until").contains("read and list only");
        assertThat(app.browser().get(link).status()).as("the link reads").isEqualTo(200);
        click("copy-link");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("copy-status"), "."));
        chrome.screenshot("settings");
        List<String> actions = new ArrayList<>();
        expect(200, app.http.get("/t/acme/audit?limit=5", admin)).json().forEach(r -> actions.add(r.path("action").asText()));
        assertThat(actions).contains("keys.rotate", "data-access.grant");

        // the session ends on the server (logged out from another request): the next click shows the sign-in
        Cookie cookie = browser.manage().getCookieNamed("__Host-lk-session-acme");
        Browser other = app.browser();
        other.cookies().put(cookie.getName(), cookie.getValue());
        String csrf = other.call("GET", "/t/acme/session", null, Map.of()).body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
        assertThat(other.call("POST", "/t/acme/session/logout", null, Map.of("X-CSRF-Token", csrf)).status()).isEqualTo(204);
        click("nav-users");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        assertThat(browser.findElement(By.id("main")).getText()).contains("Your session has ended. Sign in again.");
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        chrome.checkConsole("/t/acme/users?page=0&size=50");
        chrome.screenshot("session-ended");

        // an operator: no audit, no settings; on a tenant-admin's page no action, on Bea's no terminate and no roles
        signInAgain("olga@acme.test");
        assertThat(browser.findElement(By.id("nav")).getText()).contains("Alerts", "Users").doesNotContain("Audit", "Settings");
        browser.get(app.baseUri() + "/t/acme/console/#/users/" + adminId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-facts")));
        assertThat(browser.findElements(By.cssSelector("#lock, #unlock, #terminate, #roles-form"))).isEmpty();
        browser.get(app.baseUri() + "/t/acme/console/#/users/" + beaId);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("lock")));
        assertThat(browser.findElements(By.cssSelector("#terminate, #roles-form"))).isEmpty();
        chrome.screenshot("operator-user");
        browser.get(app.baseUri() + "/t/acme/console/#/audit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("not-allowed"), "Only tenant-admins may read the audit trail."));
        chrome.assertClean();
    }

    private void signIn(String email) {
        browser.get(app.baseUri() + "/t/acme/console/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        chrome.checkConsole("/t/acme/session");
        signInAgain(email);
    }

    /** From the console's sign-in button through the tenant's sign-in page, back to the console. */
    private void signInAgain(String email) {
        chrome.signIn(email, PASSWORD, "nav-alerts");
    }

    private void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    private String status(String userId) {
        return expect(200, app.http.get("/t/acme/users/" + userId, admin)).text("status");
    }

    private String commandKid() {
        return expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json().path("commandKeys").get(0).path("kid").asText();
    }
}
