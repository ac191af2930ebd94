package io.sandbox.launcher.keycloak;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to run one Keycloak.
 *
 * @param home           this instance's directory (e.g. {@code <project>/.sandbox/run/keycloak}); Keycloak is
 *                       unpacked there once
 * @param httpPort       the HTTP port, on 127.0.0.1
 * @param managementPort the port of the management interface ({@code /health}), on 127.0.0.1
 * @param logFile        where Keycloak's output goes (appended)
 * @param jdbcUrl        a PostgreSQL database, already created by the caller
 * @param dbUsername     its user
 * @param dbPassword     its password
 * @param adminPassword  the password of the bootstrap admin {@code admin} of the master realm, set when
 *                       the master realm is created (first start on an empty database)
 * @param realmValues    values for the placeholders of the {@code sandbox} realm: {@code onboarding.url},
 *                       {@code onboarding.secret}, {@code dashboard.url}, {@code dashboard.secret},
 *                       {@code regulator.password}, {@code auditor.password}, {@code startup.password}
 */
public record KeycloakSettings(Path home, int httpPort, int managementPort, Path logFile,
        String jdbcUrl, String dbUsername, String dbPassword,
        String adminPassword,
        Map<String, String> realmValues) {

    public KeycloakSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(dbUsername, "dbUsername");
        Objects.requireNonNull(dbPassword, "dbPassword");
        Objects.requireNonNull(adminPassword, "adminPassword");
        home = home.toAbsolutePath();
        logFile = logFile.toAbsolutePath();
        realmValues = Map.copyOf(realmValues);
        if (httpPort < 1 || httpPort > 65535 || managementPort < 1 || managementPort > 65535 || httpPort == managementPort) {
            throw new IllegalArgumentException("Keycloak needs two different ports, got " + httpPort + " and " + managementPort);
        }
    }

    /** Without the passwords and realm values, which are secrets. */
    @Override
    public String toString() {
        return "KeycloakSettings[home=%s, httpPort=%d, managementPort=%d, logFile=%s, jdbcUrl=%s, dbUsername=%s, realmValues=%s]"
                .formatted(home, httpPort, managementPort, logFile, jdbcUrl, dbUsername, new TreeMap<>(realmValues).keySet());
    }
}
