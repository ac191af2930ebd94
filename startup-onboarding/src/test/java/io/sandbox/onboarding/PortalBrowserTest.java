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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A startup member signs in through Keycloak in a real browser, sees their tenant, and signs out. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class PortalBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void startupMemberSignsInSeesTheirTenantAndSignsOut() {
        ChromeDriver browser = Browser.start();
        try {
            String home = root.toString().replace("127.0.0.1", "localhost");
            browser.get(home);
            browser.findElement(By.id("sign-in")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            browser.findElement(By.id("username")).sendKeys("startup");
            browser.findElement(By.id("password")).sendKeys(SandboxTestEnvironment.password("startup"));
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=tenant]")));
            assertThat(browser.findElement(By.cssSelector("[data-testid=heading]")).getText()).isEqualTo("Welcome, startup");
            assertThat(browser.findElement(By.cssSelector("[data-testid=tenant]")).getText()).contains("demo-startup");

            browser.findElement(By.linkText("Sign out")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in")));
            browser.get(home + "portal");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            assertThat(browser.getCurrentUrl()).contains("/realms/sandbox/protocol/openid-connect/auth");
        } finally {
            browser.quit();
        }
    }
}
