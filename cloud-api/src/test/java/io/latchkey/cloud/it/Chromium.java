package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromium-driver, for the web apps' browser tests:
 * screenshots of each page under {@code target/browser-screenshots/<prefix>-NN-name.png} (build artefacts), every
 * error in the browser's console collected, axe-core run on each page shot (serious and critical WCAG 2.1 A/AA
 * violations collected). A test ends with {@link #assertClean()}. Without Chromium the test is skipped and says how
 * to install it (.ci/run installs it).
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SHOTS = Path.of("target", "browser-screenshots");
    private static final String AXE = axeSource();

    private final String prefix;
    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final List<String> consoleErrors = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    /** Answers the page expects and shows (a refused command's 409): Chromium logs them as errors, they are not. */
    private final List<String[]> expectedStatuses = new ArrayList<>();
    private int shot;

    /** Skips the calling test (a JUnit assumption) when Chromium or its driver is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "SKIPPED: the browser test needs Debian's Chromium and its driver at " + BINARY + " and " + DRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    /** A phone: 360 px wide (a headless window cannot be narrower than 500, so the page is emulated at 360). */
    public static Chromium phone(String prefix) {
        return new Chromium(prefix, 360, 760, true);
    }

    /** A desktop window of the size given. */
    public static Chromium desktop(String prefix, int width, int height) {
        return new Chromium(prefix, width, height, false);
    }

    private Chromium(String prefix, int width, int height, boolean mobile) {
        assumeInstalled();
        this.prefix = prefix;
        try {
            Files.createDirectories(SHOTS);
            try (var old = Files.newDirectoryStream(SHOTS, prefix + "-*")) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        if (mobile) {
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 1.0)));
            options.addArguments("--window-size=500,900");
        } else {
            options.addArguments("--window-size=" + width + "," + height);
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public WebDriverWait await() {
        return wait;
    }

    /**
     * Signs in the way a person does: the page's own sign-in button ({@code #sign-in}), then the tenant's sign-in
     * page (e-mail, password, submit), back to the app, which is ready when {@code readyId} shows.
     */
    public void signIn(String email, String password, String readyId) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(readyId)));
    }

    /** Whether the page scrolls sideways (wider than the window): a phone reader would have to pan to read it. */
    public boolean scrollsSideways() {
        return Boolean.TRUE.equals(driver.executeScript(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;"));
    }

    /** Sets an input's value as a script would (date-time inputs cannot be typed into reliably). */
    public void setValue(String id, String value) {
        driver.executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];", id, value);
    }

    /**
     * An answer the page asks for on purpose and shows to the user (e.g. {@code 409} of a command the car refuses):
     * Chromium's console logs each non-2xx answer as an error; this one, for a URL containing {@code urlPart}, is not
     * collected. Everything else still is.
     */
    public void expectStatus(String urlPart, int status) {
        expectedStatuses.add(new String[] {urlPart, "status of " + status + " "});
    }

    /** Reads the console: errors are collected, except the signed-out page's 401 from {@code expected401} (if given). */
    public void checkConsole(String expected401) {
        checkConsole(expected401, null);
    }

    /** ... and, while the browser is offline on purpose, the failed requests ({@code offline}). */
    public void checkConsole(String expected401, String offline) {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() < Level.SEVERE.intValue()) {
                continue;
            }
            String message = entry.getMessage();
            boolean signedOutCheck = expected401 != null && message.contains(expected401 + " ") && message.contains("401");
            boolean expected = expectedStatuses.stream().anyMatch(e -> message.contains(e[0]) && message.contains(e[1]));
            if (!signedOutCheck && !expected && (offline == null || !message.contains(offline))) {
                consoleErrors.add(message);
            }
        }
    }

    /** The page as it is: console read, axe-core run, a screenshot saved. */
    public void screenshot(String name) {
        screenshot(name, null);
    }

    public void screenshot(String name, String offline) {
        checkConsole(null, offline);
        accessible(name);
        save(String.format("%s-%02d-%s.png", prefix, ++shot, name));
    }

    private void save(String file) {
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe-core on the page as it is: any serious or critical WCAG 2.1 A/AA violation is collected as a failure. */
    @SuppressWarnings("unchecked")
    public void accessible(String page) {
        if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object';"))) {
            driver.executeScript(AXE);
        }
        Map<String, Object> result = (Map<String, Object>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                  .then((r) => done({passes: r.passes.length, violations: r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', '))}),
                    (e) => done({passes: 0, violations: ['axe failed: ' + e]}));""");
        assertThat(((Number) result.get("passes")).intValue()).as("axe checked something on " + page).isGreaterThan(5);
        ((List<String>) result.get("violations")).forEach(v -> violations.add(page + ": " + v));
    }

    /** No error in the browser's console, no serious accessibility violation, over the whole test. */
    public void assertClean() {
        checkConsole(null);
        assertThat(consoleErrors).as("errors in the browser console").isEmpty();
        assertThat(violations).as("serious accessibility violations (axe-core)").isEmpty();
    }

    /** On a failure: the page as it was ({@code <prefix>-last.png} and its text, console errors and violations). */
    public void keepThePage() {
        try {
            save(prefix + "-last.png");
            Files.writeString(SHOTS.resolve(prefix + "-last.txt"), driver.getCurrentUrl() + "\n"
                    + driver.findElement(By.tagName("body")).getText() + "\n--- console:\n" + String.join("\n", consoleErrors)
                    + "\n--- axe:\n" + String.join("\n", violations));
        } catch (IOException | RuntimeException e) {
            // the page is gone (the browser crashed): nothing to keep
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static String axeSource() {
        try (var in = Chromium.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is missing from the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
