package io.sandbox.launcher.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} driven through its
 * {@code chromedriver}; nothing is downloaded. Paths can be overridden with SANDBOX_CHROMIUM and
 * SANDBOX_CHROMEDRIVER.
 */
public final class Browser {

    private Browser() {
    }

    public static ChromeDriver start() {
        String chromium = System.getenv().getOrDefault("SANDBOX_CHROMIUM", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("SANDBOX_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (!new File(chromium).canExecute() || !new File(driver).canExecute()) {
            throw new IllegalStateException("Browser tests need Chromium and its driver at " + chromium + " and " + driver
                    + " (Debian packages chromium and chromium-driver; ./sandbox test installs them when it runs as root).");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("sandbox-chromium");
        } catch (IOException e) {
            throw new IllegalStateException("No temporary directory for the browser profile", e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }
}
