package io.sandbox.launcher.environment;

import io.sandbox.launcher.Console;
import io.sandbox.launcher.keycloak.KeycloakServer;
import io.sandbox.launcher.keycloak.KeycloakSettings;
import io.sandbox.launcher.postgres.PostgresServer;
import io.sandbox.launcher.postgres.PostgresSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's backing parts on this machine: a real PostgreSQL and a real Keycloak (with the
 * {@code sandbox} realm), started the project's own way and stopped together.
 */
public final class SandboxEnvironment implements AutoCloseable {

    private static final String KEYCLOAK_DATABASE = "keycloak";

    private final PostgresServer postgres;
    private final KeycloakServer keycloak;
    private final EnvironmentConnection connection;

    private SandboxEnvironment(PostgresServer postgres, KeycloakServer keycloak, EnvironmentConnection connection) {
        this.postgres = postgres;
        this.keycloak = keycloak;
        this.connection = connection;
    }

    /**
     * Starts PostgreSQL, then Keycloak on it. With {@code freshServiceDatabases} the services' databases
     * are dropped and created empty (the test suites want that); Keycloak's data is always kept.
     *
     * @param serviceUrls the public base URL of each service, for Keycloak's redirect URIs
     */
    public static SandboxEnvironment start(EnvironmentSettings settings, boolean freshServiceDatabases,
            Map<Service, String> serviceUrls) {
        Secrets secrets = Secrets.loadOrCreate(settings.directory().resolve("secrets.properties"));
        if (settings.reset()) {
            Console.step("Environment", "--reset: wiping the data of " + settings.directory());
        }
        PostgresServer postgres = PostgresServer.start(new PostgresSettings(settings.directory().resolve("postgres"),
                settings.postgresPort(), settings.reset(), settings.directory().resolve("logs/postgres.log")),
                secrets.get(Secrets.POSTGRES_PASSWORD));
        try {
            postgres.ensureDatabase(KEYCLOAK_DATABASE);
            for (Service service : Service.values()) {
                if (freshServiceDatabases) {
                    postgres.dropDatabase(service.database());
                }
                postgres.ensureDatabase(service.database());
            }
            Map<String, String> realm = new LinkedHashMap<>();
            realm.put("onboarding.url", serviceUrls.get(Service.ONBOARDING));
            realm.put("dashboard.url", serviceUrls.get(Service.DASHBOARD));
            for (String key : new String[] {Secrets.ONBOARDING_SECRET, Secrets.DASHBOARD_SECRET,
                Secrets.REGULATOR_PASSWORD, Secrets.AUDITOR_PASSWORD, Secrets.STARTUP_PASSWORD}) {
                realm.put(key, secrets.get(key));
            }
            KeycloakServer keycloak = KeycloakServer.start(new KeycloakSettings(settings.directory().resolve("keycloak"),
                    settings.keycloakPort(), settings.keycloakManagementPort(),
                    settings.directory().resolve("logs/keycloak.log"), postgres.jdbcUrl(KEYCLOAK_DATABASE),
                    postgres.username(), postgres.password(), secrets.get(Secrets.KEYCLOAK_ADMIN_PASSWORD), realm));

            Map<String, String> all = new LinkedHashMap<>(realm);
            all.remove("onboarding.url");
            all.remove("dashboard.url");
            all.put(Secrets.KEYCLOAK_ADMIN_PASSWORD, secrets.get(Secrets.KEYCLOAK_ADMIN_PASSWORD));
            EnvironmentConnection connection = new EnvironmentConnection(postgres.host(), postgres.port(),
                    postgres.username(), postgres.password(), keycloak.realmUri(), all);
            return new SandboxEnvironment(postgres, keycloak, connection);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public EnvironmentConnection connection() {
        return connection;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            postgres.close();
        }
    }
}
