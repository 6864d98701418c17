package io.latchkey.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator console's files as the backend serves them: only the listed files, under a known tenant, the shell
 * with its strict policy (nothing inline), and scripts that build the page from text, never from markup, and keep
 * nothing in the browser's storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleFilesIT {
    @TempDir
    static Path dataDir;
    CloudApp app;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        app.tenantWithAdmin("acme");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theShell_hasAStrictPolicy_andNothingInline() {
        Browser browser = app.browser();
        Browser.Page shell = browser.getOnly("/t/acme/console/");
        assertThat(shell.status()).isEqualTo(200);
        assertThat(shell.header("Content-Type")).startsWith("text/html");
        assertThat(shell.header("Content-Security-Policy")).isEqualTo(WebFiles.POLICY).contains("script-src 'self'",
                "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe", "http:", "https:", "*");
        assertThat(shell.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(shell.body()).contains("<script type=\"module\" src=\"console.js\"></script>");
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(shell.body());
        int count = 0;
        while (scripts.find()) {
            assertThat(scripts.group(1)).contains("src=");
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(2);
        assertThat(shell.body()).doesNotContain("style=", "<style", "onclick", "javascript:");

        assertThat(browser.getOnly("/t/acme/console").status()).isEqualTo(303);
        assertThat(browser.getOnly("/t/acme/console").header("Location")).isEqualTo("/t/acme/console/");
    }

    @Test
    void everyScript_buildsFromText_andStoresNothing() {
        Browser browser = app.browser();
        List<String> scripts = ConsoleController.FILES.keySet().stream().filter(f -> f.endsWith(".js")).sorted().toList();
        assertThat(scripts).contains("console.js", "common.js", "fleet.js", "fleet-layer.js");
        for (String script : scripts) {
            String body = browser.getOnly("/t/acme/console/" + script).body();
            assertThat(body).as(script).isNotBlank().doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(",
                    "new Function", "localStorage", "sessionStorage", "document.write", "access_token");
        }
    }

    @Test
    void onlyTheConsolesFiles_areServed_underAKnownTenant() {
        Browser browser = app.browser();
        for (Map.Entry<String, String> file : ConsoleController.FILES.entrySet()) {
            Browser.Page page = browser.getOnly("/t/acme/console/" + file.getKey());
            assertThat(page.status()).as(file.getKey()).isEqualTo(200);
            assertThat(page.header("Content-Type")).as(file.getKey()).startsWith(file.getValue().split(";")[0]);
            assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        }
        for (String file : ConsoleController.LIB) {
            Browser.Page page = browser.getOnly("/t/acme/console/lib/" + file);
            assertThat(page.status()).as("the WebJar's " + file).isEqualTo(200);
        }
        assertThat(browser.getOnly("/t/acme/console/config.json").body()).isEqualTo("{}");
        for (String other : List.of("logback.xml", "application.yml", "..%2Fapplication.yml", "app.js", "sw.js",
                "fleet.js.map", "lib/leaflet.js.map", "lib/console.js")) {
            assertThat(browser.getOnly("/t/acme/console/" + other).status()).as(other).isEqualTo(404);
        }
        for (String path : List.of("/t/nosuch/console/", "/t/nosuch/console", "/t/nosuch/console/fleet.js",
                "/t/nosuch/console/config.json", "/t/nosuch/console/lib/leaflet.js")) {
            assertThat(browser.getOnly(path).status()).as(path).isEqualTo(404);
        }
    }
}
