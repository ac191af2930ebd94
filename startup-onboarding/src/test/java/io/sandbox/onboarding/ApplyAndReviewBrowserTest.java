package io.sandbox.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.launcher.testing.Browser;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * In a real browser: a startup applies at /apply without an account (first with a mistyped LEI, which the
 * form points out), then a regulator signs in, finds the application in the queue and approves it with a
 * permit.
 */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class ApplyAndReviewBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aStartupAppliesAndARegulatorApprovesIt() throws Exception {
        Path extract = Files.createTempFile("registry-extract", ".pdf");
        Files.write(extract, ApplicationRequest.PDF);
        String legalName = "Browser Pay " + UUID.randomUUID().toString().substring(0, 8);
        ChromeDriver browser = Browser.start();
        try {
            String home = root.toString().replace("127.0.0.1", "localhost");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get(home + "apply");

            browser.findElement(By.id("legalName")).sendKeys(legalName);
            browser.findElement(By.id("jurisdiction")).sendKeys("DE");
            browser.findElement(By.id("registryIdentifier")).sendKeys("5493001KJTIIGC8Y1R13");
            browser.findElement(By.id("contactEmail")).sendKeys("founders@browserpay.example");
            browser.findElement(By.name("representatives[0].name")).sendKeys("Ada Founder");
            browser.findElement(By.name("representatives[0].email")).sendKeys("ada@browserpay.example");
            browser.findElement(By.xpath("//button[text()='Add a representative']")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.name("representatives[1].name"))).sendKeys("Grace Counsel");
            browser.findElement(By.name("representatives[1].email")).sendKeys("grace@browserpay.example");
            browser.findElement(By.id("pilotDescription")).sendKeys("Instant SME payments in euro.");
            browser.findElement(By.id("documents")).sendKeys(extract.toString());
            browser.findElement(By.id("submit")).click();

            WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-field=registryIdentifier]")));
            assertThat(error.getText()).contains("check digits");
            assertThat(browser.findElement(By.id("legalName")).getAttribute("value")).isEqualTo(legalName);
            assertThat(browser.findElement(By.name("representatives[1].name")).getAttribute("value")).isEqualTo("Grace Counsel");

            WebElement identifier = browser.findElement(By.id("registryIdentifier"));
            identifier.clear();
            identifier.sendKeys("5493001KJTIIGC8Y1R12");
            browser.findElement(By.id("documents")).sendKeys(extract.toString());
            browser.findElement(By.id("submit")).click();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=confirmation]")));
            String id = browser.findElement(By.cssSelector("[data-testid=application-id]")).getText();
            assertThat(browser.findElement(By.cssSelector("[data-testid=status]")).getText()).isEqualTo("SUBMITTED");
            assertThat(browser.findElement(By.cssSelector("[data-testid=status-url]")).getText()).endsWith("/api/v1/applications/" + id);

            browser.get(home + "portal/review");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys("regulator");
            browser.findElement(By.id("password")).sendKeys(SandboxTestEnvironment.password("regulator"));
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=queue]")));
            browser.findElement(By.linkText(legalName)).click();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("approve")));
            assertThat(browser.findElement(By.cssSelector("[data-testid=legal-name]")).getText()).isEqualTo(legalName);
            assertThat(browser.getPageSource()).contains("Grace Counsel").contains("registry-extract");
            WebElement approve = browser.findElement(By.id("approve"));
            approve.findElement(By.name("reason")).sendKeys("Registry identity verified; low-risk pilot.");
            approve.findElement(By.name("maxCustomers")).sendKeys("100");
            approve.findElement(By.name("maxSingleTransaction")).sendKeys("500");
            approve.findElement(By.name("maxDailyVolume")).sendKeys("20000");
            approve.findElement(By.name("currency")).sendKeys("EUR");
            approve.findElement(By.name("allowedAssetTypes")).sendKeys("PAYMENT, STABLECOIN");
            setDate(browser, approve.findElement(By.name("testWindowStart")), "2027-01-01");
            setDate(browser, approve.findElement(By.name("testWindowEnd")), "2027-06-30");
            browser.findElement(By.id("approve-submit")).click();

            WebElement decision = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=decision]")));
            assertThat(decision.getText()).contains("APPROVED").contains("Registry identity verified");
            assertThat(browser.findElement(By.cssSelector("[data-testid=permit]")).getText())
                    .contains("100").contains("PAYMENT, STABLECOIN").contains("2027-06-30");
        } finally {
            browser.quit();
            Files.deleteIfExists(extract);
        }
    }

    @Test
    void aSignedInStartupMemberIsRefusedTheReviewPages() {
        ChromeDriver browser = Browser.start();
        try {
            String home = root.toString().replace("127.0.0.1", "localhost");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get(home + "portal/review");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys("startup");
            browser.findElement(By.id("password")).sendKeys(SandboxTestEnvironment.password("startup"));
            browser.findElement(By.id("kc-login")).click();

            wait.until(ExpectedConditions.urlContains("/portal/review"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("body")));
            assertThat(browser.getPageSource()).contains("\"status\":403").doesNotContain("data-testid=\"queue");
        } finally {
            browser.quit();
        }
    }

    private static void setDate(ChromeDriver browser, WebElement input, String isoDate) {
        // Typing into a date input depends on the browser's locale; setting the value does not.
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", input, isoDate);
    }
}
