package io.sandbox.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.launcher.testing.Browser;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import org.hyperledger.fabric.client.Gateway;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person signs in through the real Keycloak login page in a real browser and reaches the dashboard. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserTest {

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
    void regulatorSignsInThroughKeycloakAndSeesTheDashboard() throws Exception {
        signIn("regulator");
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=heading]")));
        assertThat(browser.getCurrentUrl()).startsWith(localhost() + "dashboard");
        assertThat(browser.findElement(By.cssSelector("[data-testid=heading]")).getText()).isEqualTo("Pilots overview");
        assertThat(browser.findElement(By.cssSelector("[data-testid=who]")).getText()).contains("regulator");
        assertThat(browser.findElement(By.cssSelector("[data-testid=platform]")).getText()).contains("PostgreSQL");
        Path shot = Path.of("target/screenshots/dashboard-regulator.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aTransactionSubmittedThroughTheGatewayAppearsOnTheLiveFeedAndItsDetailOpens() throws Exception {
        StartupSandbox acme = FabricTestNetwork.network().provision("acme");
        signIn("regulator");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=feed-status]"), "live"));

        String customer = "feed-" + System.nanoTime();
        String txId;
        ManagedChannel grpc = acme.peer().openChannel();
        FabricIdentity user = acme.org().user();
        try (Gateway gateway = Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner())
                .connection(grpc).connect()) {
            var status = gateway.getNetwork(acme.channelId()).getContract(FabricNetwork.CHAINCODE)
                    .newProposal("onboardCustomer").addArguments(customer, "DE", "LOW").build()
                    .endorse().submitAsync().getStatus();
            assertThat(status.isSuccessful()).isTrue();
            txId = status.getTransactionId();
        } finally {
            grpc.shutdownNow();
        }

        By row = By.cssSelector("[data-testid=feed] tr[data-tx-id='" + txId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        String text = browser.findElement(row).getText();
        assertThat(text).contains(acme.channelId()).contains("onboardCustomer").contains("VALID");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-testid=channels] tr[data-channel='" + acme.channelId() + "']")));
        Path shot = Path.of("target/screenshots/dashboard-live-feed.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));

        browser.findElement(row).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=tx-id]")));
        assertThat(browser.findElement(By.cssSelector("[data-testid=tx-id]")).getText()).isEqualTo(txId);
        assertThat(browser.findElement(By.cssSelector("[data-testid=tx-validation]")).getText()).isEqualTo("VALID");
        assertThat(browser.findElement(By.cssSelector("[data-testid=tx-function]")).getText())
                .contains("onboardCustomer");
    }

    @Test
    void startupMemberIsRefusedTheDashboardAfterSigningIn() {
        signIn("startup");
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.urlContains("/dashboard"));
        String body = browser.findElement(By.tagName("body")).getText();
        assertThat(body).contains("\"status\":403").contains("Your role does not allow this action.");
    }

    private void signIn(String user) {
        browser.get(localhost());
        browser.findElement(By.id("sign-in")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).contains("/realms/sandbox/protocol/openid-connect/auth");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(SandboxTestEnvironment.password(user));
        browser.findElement(By.id("kc-login")).click();
    }

    /** The test server, addressed as people address it; Keycloak's dev realm accepts localhost redirects. */
    private String localhost() {
        return root.toString().replace("127.0.0.1", "localhost");
    }
}
