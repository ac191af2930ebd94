package io.sandbox.launcher.environment;

import io.sandbox.launcher.LauncherException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where one local environment keeps its data and which loopback ports it uses. The run command and the
 * test suites use separate environments, so tests can run while the platform is up.
 *
 * @param directory the environment's own directory, e.g. {@code <project>/.sandbox/run}
 * @param postgresPort PostgreSQL's port
 * @param keycloakPort Keycloak's HTTP port
 * @param keycloakManagementPort Keycloak's management (health) port
 * @param reset whether to wipe the data kept from earlier runs
 */
public record EnvironmentSettings(Path directory, int postgresPort, int keycloakPort, int keycloakManagementPort,
        boolean reset) {

    public EnvironmentSettings {
        Objects.requireNonNull(directory, "directory");
    }

    /** The environment of {@code ./sandbox run}; ports overridable with SANDBOX_PG_PORT and SANDBOX_KEYCLOAK_PORT. */
    public static EnvironmentSettings forRun(Path projectRoot, boolean reset, Map<String, String> env) {
        int keycloak = port(env, "SANDBOX_KEYCLOAK_PORT", 8180);
        return new EnvironmentSettings(projectRoot.resolve(".sandbox/run"), port(env, "SANDBOX_PG_PORT", 55432),
                keycloak, port(env, "SANDBOX_KEYCLOAK_MANAGEMENT_PORT", keycloak + 1000), reset);
    }

    /** The environment the test suites share; ports overridable with SANDBOX_TEST_PG_PORT and SANDBOX_TEST_KEYCLOAK_PORT. */
    public static EnvironmentSettings forTests(Path projectRoot, Map<String, String> env) {
        int keycloak = port(env, "SANDBOX_TEST_KEYCLOAK_PORT", 8280);
        return new EnvironmentSettings(projectRoot.resolve(".sandbox/test"), port(env, "SANDBOX_TEST_PG_PORT", 55433),
                keycloak, port(env, "SANDBOX_TEST_KEYCLOAK_MANAGEMENT_PORT", keycloak + 1000), false);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new LauncherException(name + " must be a port number (1-65535), not '" + value + "'.");
        }
    }
}
