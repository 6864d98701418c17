package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console on a 360-px-wide phone (Debian's Chromium, emulated): a tenant-admin signs in and reaches every page
 * from the navigation (each link must be clickable there), and each page reads without sideways scrolling (wide
 * tables scroll in their own region), with no serious axe-core violation and no browser console error. Screenshots
 * under {@code target/browser-screenshots/console-phone-*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePhoneBrowserIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    Chromium chrome;

    @BeforeAll
    void start() {
        Chromium.assumeInstalled();
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        chrome = Chromium.phone("console-phone");
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
    void everyPage_isReachableFromTheNavigation_andReadsWithoutSidewaysScrolling_at360px() {
        chrome.driver().get(app.baseUri() + "/t/acme/console/");
        chrome.await().until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        chrome.checkConsole("/t/acme/session");
        assertThat(chrome.scrollsSideways()).as("the signed-out page scrolls sideways").isFalse();
        chrome.signIn("admin@acme.test", PASSWORD, "nav-map");

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("nav-map", "Fleet map");
        pages.put("nav-fleet", "Fleet");
        pages.put("nav-bookings", "Bookings");
        pages.put("nav-alerts", "Alerts");
        pages.put("nav-users", "Users");
        pages.put("nav-audit", "Audit trail");
        pages.put("nav-settings", "Tenant settings");
        pages.put("nav-rollouts", "Rollouts");
        List<String> sideways = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            chrome.await().until(ExpectedConditions.elementToBeClickable(By.id(page.getKey()))).click();
            chrome.await().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), page.getValue()));
            chrome.screenshot(page.getKey().substring(4));
            if (chrome.scrollsSideways()) {
                sideways.add(page.getValue());
            }
        }
        // a car's page, from the fleet list's link
        chrome.await().until(ExpectedConditions.elementToBeClickable(By.id("nav-fleet"))).click();
        chrome.await().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[href='#/cars/car-1']"))).click();
        chrome.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main h1"), "car-1"));
        chrome.screenshot("car");
        if (chrome.scrollsSideways()) {
            sideways.add("car-1");
        }
        assertThat(sideways).as("pages wider than a 360-px phone").isEmpty();
        chrome.assertClean();
    }
}
