package io.sandbox.dashboard.alerts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.dashboard.testing.StartupContracts;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import io.sandbox.launcher.testing.Browser;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end: a startup on the devnet crosses its permit's maximum single value with a payment submitted through
 * fabric-gateway; the regulator's dashboard, open in Chromium, shows the alert and the changed risk score without a
 * reload.
 */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class AlertDashboardBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    @Test
    void paymentOverThePermitRaisesAnAlertAndMovesTheRiskOnTheOpenDashboard() throws Exception {
        StartupSandbox beta = FabricTestNetwork.network().provision("beta");
        String regulator = SandboxTestEnvironment.accessToken("regulator");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(regulator)
                .when().get("/api/v1/startups/beta").then().statusCode(200));
        given().auth().oauth2(regulator).contentType("application/json")
                .body(Map.of("maxCustomers", 1000, "maxSingleValue", "1000", "maxDailyVolume", "1000000",
                        "currency", "EUR", "allowedAssetTypes", List.of("TOKEN"), "testWindowStart", "2026-01-01",
                        "testWindowEnd", "2027-12-31", "reason", "end-to-end test permit"))
                .when().put("/api/v1/startups/beta/permit").then().statusCode(200);
        String run = Long.toString(System.nanoTime(), 36);
        String alice = "alice-" + run;
        String bob = "bob-" + run;
        StartupContracts.with(beta, contract -> {
            submit(contract, "onboardCustomer", alice, "DE", "LOW");
            submit(contract, "onboardCustomer", bob, "DE", "LOW");
            return null;
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(regulator)
                .when().get("/api/v1/startups/beta/risk/latest").then().statusCode(200));

        signIn("regulator");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=feed-status]"), "live"));
        By score = By.cssSelector("[data-testid=risk-table] tr[data-startup='beta'] [data-testid=risk-score]");
        wait.until(ExpectedConditions.presenceOfElementLocated(score));
        wait.until(d -> !d.findElement(score).getText().equals("–"));
        String before = browser.findElement(score).getText();

        String txId = StartupContracts.with(beta, contract -> submit(contract, "payment", "pay-" + run, alice, bob, "EUR",
                "5000.00"));
        long committed = System.nanoTime();

        By alertRow = By.cssSelector("[data-testid=alerts] tr[data-tx-id='" + txId + "']");
        new WebDriverWait(browser, Duration.ofSeconds(3)).pollingEvery(Duration.ofMillis(20))
                .until(ExpectedConditions.presenceOfElementLocated(alertRow));
        long alertMillis = (System.nanoTime() - committed) / 1_000_000;
        new WebDriverWait(browser, Duration.ofSeconds(3)).pollingEvery(Duration.ofMillis(20))
                .until(d -> !d.findElement(score).getText().equals(before));
        long riskMillis = (System.nanoTime() - committed) / 1_000_000;
        System.out.printf("E2E latency after commit: alert on the page %d ms, risk changed %d ms%n", alertMillis,
                riskMillis);

        String row = browser.findElement(alertRow).getText();
        assertThat(row).contains("permit:beta:max-single-value").contains("beta").contains("5000");
        assertThat(Double.parseDouble(browser.findElement(score).getText())).isGreaterThan(Double.parseDouble(before));
        Path shot = Path.of("target/screenshots/dashboard-alert-risk.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    }

    private static String submit(Contract contract, String function, String... args) throws Exception {
        Status status = contract.newProposal(function).addArguments(args).build().endorse().submitAsync().getStatus();
        assertThat(status.isSuccessful()).as(function + " committed as " + status.getCode()).isTrue();
        return status.getTransactionId();
    }

    private void signIn(String user) {
        browser.get(root.toString().replace("127.0.0.1", "localhost"));
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(SandboxTestEnvironment.password(user));
        browser.findElement(By.id("kc-login")).click();
    }
}
