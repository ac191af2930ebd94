package io.sandbox.dashboard.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.core.evidence.BundleFormat;
import io.sandbox.core.evidence.BundleVerification;
import io.sandbox.core.evidence.BundleVerifier;
import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.Browser;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An auditor, as a new user would: signs in through Keycloak, finds the export page, downloads a bundle. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class EvidenceBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private ChromeDriver browser;
    private Path downloads;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browser.start();
        downloads = Files.createTempDirectory("evidence-downloads");
        browser.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toAbsolutePath().toString(), "eventsEnabled", true));
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    @Test
    void auditorDownloadsABundleFromTheExportPageAndItVerifies() throws Exception {
        EvidenceTestData.pilot();
        browser.get(localhost());
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys("auditor");
        browser.findElement(By.id("password")).sendKeys(SandboxTestEnvironment.password("auditor"));
        browser.findElement(By.id("kc-login")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=exports-link]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=heading]"),
                "Evidence exports"));
        new Select(browser.findElement(By.id("startup"))).selectByValue(EvidenceTestData.STARTUP);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        setDate("from", today.minusDays(1));
        setDate("to", today.plusDays(1));
        Path shot = Path.of("target/screenshots/evidence-export-page.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        browser.findElement(By.id("export")).click();

        Path bundle = awaitDownload();
        assertThat(bundle.getFileName().toString()).startsWith("evidence-evidence-").endsWith(".zip");

        browser.get(localhost() + "dashboard/exports/signing-root");
        Path rootPem = awaitDownload("pem");
        BundleVerification result = BundleVerifier.verify(bundle,
                ManifestSigner.parsePem(Files.readString(rootPem)));
        assertThat(result.failure()).isEmpty();
        assertThat(result.transactions()).isGreaterThanOrEqualTo(4);
        byte[] pdfBytes = EvidenceTestData.entries(Files.readAllBytes(bundle)).get(BundleFormat.REPORT_PDF);
        try (PDDocument pdf = Loader.loadPDF(pdfBytes)) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("Evidence report: Evidence Test Pilot")
                    .contains("Result: VERIFIED").contains("by auditor");
        }
    }

    /** Date inputs take keyboard input in the locale's order; set the value as the form submits it. */
    private void setDate(String id, LocalDate date) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById(arguments[0]).value = arguments[1]",
                id, date.toString());
        assertThat(browser.findElement(By.id(id)).getDomProperty("value")).isEqualTo(date.toString());
    }

    private Path awaitDownload() throws Exception {
        return awaitDownload("zip");
    }

    private Path awaitDownload(String extension) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                var done = files.filter(p -> p.getFileName().toString().endsWith("." + extension)).findFirst();
                if (done.isPresent()) {
                    return done.get();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no ." + extension + " download in " + downloads);
    }

    private String localhost() {
        return root.toString().replace("127.0.0.1", "localhost");
    }
}
