package org.meshledger.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's, through its chromedriver) signed in to the suite's portal as one
 * user: each instance is its own browser session, with its own downloads folder.
 */
final class Chromium implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("meshledger.it.screenshots", "target/screenshots"));

    private final WebDriver driver;
    private final Path profile;
    private final Path downloads;

    private Chromium() {
        try {
            profile = Files.createTempDirectory(TestStack.work(), "chromium-profile-");
            downloads = Files.createTempDirectory(TestStack.work(), "chromium-downloads-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("meshledger.chromium", "/usr/bin/chromium"));
        // The machine's network is closed: no background calls home, no first-run, no sandbox as root.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("meshledger.chromedriver", "/usr/bin/chromedriver"))
                        .toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** A new browser session, signed in through Keycloak's login form, on the dashboard. */
    static Chromium signedIn(String username, String password) {
        Chromium browser = new Chromium();
        try {
            browser.driver.get(TestStack.portalUrl() + "/portal/index.xhtml");
            browser.waitFor(By.id("username")).sendKeys(username);
            browser.driver.findElement(By.id("password")).sendKeys(password);
            browser.driver.findElement(By.id("kc-login")).click();
            browser.waitFor(By.id("principal-name"));
            return browser;
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(TestStack.portalUrl() + path);
    }

    WebElement waitFor(By by) {
        return waitFor(by, Duration.ofSeconds(15));
    }

    WebElement waitFor(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitUntilGone(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    String text(By by) {
        return waitFor(by).getText().strip();
    }

    List<String> texts(By by) {
        return driver.findElements(by).stream().map(e -> e.getText().strip()).toList();
    }

    /** The messages the page shows (PrimeFaces p:messages), once an action's answer arrived. */
    String messages() {
        ajaxDone();
        return waitFor(By.cssSelector(".ui-messages .ui-messages-info, .ui-messages .ui-messages-error, "
                + ".ui-messages .ui-messages-warn")).getText().strip();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Waits for PrimeFaces' ajax queue to empty. */
    void ajaxDone() {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(script(
                "return !window.PrimeFaces || PrimeFaces.ajax.Queue.isEmpty();")));
    }

    /** Saves a full-window screenshot under target/screenshots for a reviewer. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first file downloaded whose name ends so, once complete. */
    Path downloaded(String suffix) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        driver.quit();
    }
}
