package io.latchkey.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * The borrower app's files as the backend serves them: only the listed files, under a known tenant, the shell with
 * its strict policy (nothing inline), and a service worker that caches nothing but the app's own files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppFilesIT {
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
        Browser.Page shell = browser.getOnly("/t/acme/app/");
        assertThat(shell.status()).isEqualTo(200);
        assertThat(shell.header("Content-Type")).startsWith("text/html");
        String policy = shell.header("Content-Security-Policy");
        assertThat(policy).isEqualTo(WebFiles.POLICY).contains("script-src 'self'", "style-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe", "http:", "https:", "*");
        assertThat(shell.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(shell.body()).contains("<script type=\"module\" src=\"app.js\"></script>", "href=\"manifest.webmanifest\"");
        // every script has a src (no inline script), no style attribute or element (the policy would refuse them)
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(shell.body());
        while (scripts.find()) {
            assertThat(scripts.group(1)).contains("src=");
        }
        assertThat(shell.body()).doesNotContain("style=", "<style", "onclick", "javascript:");
        // the script builds the page from text nodes, never from markup
        assertThat(browser.getOnly("/t/acme/app/app.js").body()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
                "eval(", "localStorage");

        assertThat(browser.getOnly("/t/acme/app").status()).isEqualTo(303);
        assertThat(browser.getOnly("/t/acme/app").header("Location")).isEqualTo("/t/acme/app/");
    }

    @Test
    void onlyTheAppsFiles_areServed_underAKnownTenant() {
        Browser browser = app.browser();
        for (Map.Entry<String, String> file : AppController.FILES.entrySet()) {
            Browser.Page page = browser.getOnly("/t/acme/app/" + file.getKey());
            assertThat(page.status()).as(file.getKey()).isEqualTo(200);
            assertThat(page.header("Content-Type")).as(file.getKey()).startsWith(file.getValue().split(";")[0]);
            assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        }
        assertThat(browser.getOnly("/t/acme/app/sw.js").header("Service-Worker-Allowed")).isEqualTo("/t/acme/app/");
        for (String file : AppController.LIB) {
            Browser.Page page = browser.getOnly("/t/acme/app/lib/" + file);
            assertThat(page.status()).as("the WebJar's " + file + " (is WebFiles.LEAFLET the pom's version?)").isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith(file.endsWith(".css") ? "text/css" : "text/javascript");
        }
        assertThat(browser.getOnly("/t/acme/app/lib/leaflet.js.map").status()).isEqualTo(404);
        assertThat(browser.getOnly("/t/acme/app/lib/app.js").status()).isEqualTo(404);
        for (String other : List.of("logback.xml", "application.yml", "..%2Fapplication.yml", "app.js.map", "passwords")) {
            assertThat(browser.getOnly("/t/acme/app/" + other).status()).as(other).isEqualTo(404);
        }
        assertThat(browser.getOnly("/t/nosuch/app/").status()).isEqualTo(404);
        assertThat(browser.getOnly("/t/nosuch/app/app.js").status()).isEqualTo(404);
    }

    @Test
    void withoutTiles_theAppGetsNone_andTheShellNoOtherImageOrigin() {
        Browser.Page config = app.browser().getOnly("/t/acme/app/config.json");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body()).isEqualTo("{}");
        assertThat(app.browser().getOnly("/t/acme/app/").header("Content-Security-Policy")).contains("img-src 'self' data:;");
    }

    @Test
    void aTileSource_isAllowedByTheShellsPolicy_andGivenToTheApp_andABadOneStopsTheStart(@TempDir Path otherDir) {
        try (CloudApp withTiles = CloudApp.start(otherDir, Map.of("latchkey.web.tiles.url", "https://tiles.example.org/{z}/{x}/{y}.png",
                "latchkey.web.tiles.attribution", "© OpenStreetMap contributors"))) {
            withTiles.tenantWithAdmin("acme");
            Browser browser = withTiles.browser();
            assertThat(browser.getOnly("/t/acme/app/").header("Content-Security-Policy"))
                    .contains("img-src 'self' data: https://tiles.example.org;").doesNotContain("unsafe");
            assertThat(browser.getOnly("/t/acme/app/config.json").body()).isEqualTo(
                    "{\"tiles\":{\"url\":\"https://tiles.example.org/{z}/{x}/{y}.png\",\"attribution\":\"© OpenStreetMap contributors\"}}");
        }
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("latchkey.web.tiles.url", "http://tiles.example.org/{z}/{x}/{y}.png", "latchkey.web.tiles.attribution", "x"),
                Map.of("latchkey.web.tiles.url", "https://tiles.example.org/{z}/{x}/{y}.png; script-src *", "latchkey.web.tiles.attribution", "x"),
                Map.of("latchkey.web.tiles.url", "https://tiles.example.org/{z}/{x}.png", "latchkey.web.tiles.attribution", "x"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CloudApp.start(otherDir, bad).close())
                    .as(bad.toString()).hasStackTraceContaining("latchkey.web.tiles.url");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CloudApp.start(otherDir,
                Map.of("latchkey.web.tiles.url", "https://tiles.example.org/{z}/{x}/{y}.png")).close())
                .hasStackTraceContaining("latchkey.web.tiles.attribution is required");
    }

    @Test
    void theServiceWorker_cachesOnlyTheAppsOwnFiles() throws IOException {
        String worker;
        try (InputStream in = AppController.class.getResourceAsStream("/app/sw.js")) {
            worker = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.strip().startsWith("//")).collect(java.util.stream.Collectors.joining("\n"));
        }
        Matcher list = Pattern.compile("const SHELL = \\[([^]]*)]").matcher(worker);
        assertThat(list.find()).isTrue();
        Matcher names = Pattern.compile("'([^']*)'").matcher(list.group(1));
        int count = 0;
        while (names.find()) {
            String name = names.group(1);
            assertThat(name.equals("./") || AppController.FILES.containsKey(name)
                    || name.startsWith("lib/") && AppController.LIB.contains(name.substring(4))).as(name).isTrue();
            count++;
        }
        assertThat(count).isGreaterThan(3);
        // every module the app imports (common.js, shared with the console) is in the shell, or it would not open offline
        String app;
        try (InputStream in = AppController.class.getResourceAsStream("/app/app.js")) {
            app = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher imports = Pattern.compile("from '\\./([^']+)'").matcher(app);
        List<String> imported = new java.util.ArrayList<>();
        while (imports.find()) {
            imported.add(imports.group(1));
        }
        assertThat(imported).contains("common.js");
        assertThat(list.group(1)).contains(imported.stream().map(name -> "'" + name + "'").toArray(String[]::new));
        assertThat(worker).doesNotContain("/session", "/bookings", "/cars");
        // one place writes to a cache: the shell list, after a successful network answer
        assertThat(worker.split("cache.put", -1)).hasSize(2);
    }
}
