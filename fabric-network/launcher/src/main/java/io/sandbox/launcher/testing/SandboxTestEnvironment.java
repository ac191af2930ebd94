package io.sandbox.launcher.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.EnvironmentSettings;
import io.sandbox.launcher.environment.SandboxEnvironment;
import io.sandbox.launcher.environment.Secrets;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.keycloak.KeycloakTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} suite at a real PostgreSQL and Keycloak. Under {@code ./sandbox test}
 * it attaches to the environment that command started (named by {@code SANDBOX_TEST_ENVIRONMENT}), so
 * every suite shares one; otherwise it starts the test environment itself, once per JVM, and the
 * launcher's process reaper stops it when the JVM exits.
 *
 * <p>Use with {@code @WithTestResource(value = SandboxTestEnvironment.class, initArgs = @ResourceArg(name =
 * "service", value = "DASHBOARD"))}.
 */
public final class SandboxTestEnvironment implements QuarkusTestResourceLifecycleManager {

    private static EnvironmentConnection connection;

    private Service service;

    @Override
    public void init(Map<String, String> initArgs) {
        String name = initArgs.get("service");
        if (name == null) {
            throw new IllegalArgumentException("SandboxTestEnvironment needs the init argument 'service' (ONBOARDING or DASHBOARD)");
        }
        service = Service.valueOf(name);
    }

    @Override
    public Map<String, String> start() {
        return connection().serviceConfiguration(service);
    }

    @Override
    public void stop() {
        // Shared by every suite in this JVM; stopped with the JVM.
    }

    /** The running test environment, started on first use. */
    public static synchronized EnvironmentConnection connection() {
        if (connection == null) {
            String attached = System.getenv("SANDBOX_TEST_ENVIRONMENT");
            if (attached != null && !attached.isBlank()) {
                connection = EnvironmentConnection.load(Path.of(attached));
            } else {
                Map<Service, String> urls = new EnumMap<>(Service.class);
                for (Service each : Service.values()) {
                    urls.put(each, "http://localhost:" + each.defaultPort());
                }
                SandboxEnvironment environment = SandboxEnvironment.start(
                        EnvironmentSettings.forTests(projectRoot(), System.getenv()), true, urls);
                connection = environment.connection();
            }
        }
        return connection;
    }

    /** A real access token from Keycloak for a demo user: {@code regulator}, {@code auditor} or {@code startup}. */
    public static String accessToken(String demoUser) {
        String key = switch (demoUser) {
            case "regulator" -> Secrets.REGULATOR_PASSWORD;
            case "auditor" -> Secrets.AUDITOR_PASSWORD;
            case "startup" -> Secrets.STARTUP_PASSWORD;
            default -> throw new IllegalArgumentException("No demo user " + demoUser);
        };
        EnvironmentConnection env = connection();
        return KeycloakTokens.passwordGrant(env.realmUri(), "sandbox-cli", demoUser, env.secret(key));
    }

    /** The password of a demo user, for tests that sign in through the browser. */
    public static String password(String demoUser) {
        return connection().secret(demoUser + ".password");
    }

    private static Path projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("mvnw")) && Files.isDirectory(candidate.resolve("fabric-network"))) {
                return candidate;
            }
        }
        throw new LauncherException("Could not find the project root (a folder with mvnw and fabric-network) above " + dir);
    }
}
