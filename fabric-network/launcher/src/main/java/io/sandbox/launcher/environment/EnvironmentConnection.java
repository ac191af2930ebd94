package io.sandbox.launcher.environment;

import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach a running environment: enough to configure a service or a test suite. Saved to a file
 * (owner-readable only) so that test JVMs started by {@code ./sandbox test} attach to the environment
 * it started instead of starting their own.
 */
public record EnvironmentConnection(String postgresHost, int postgresPort, String postgresUsername,
        String postgresPassword, URI realmUri, Map<String, String> secrets) {

    public EnvironmentConnection {
        Objects.requireNonNull(realmUri, "realmUri");
        secrets = Map.copyOf(secrets);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://%s:%d/%s".formatted(postgresHost, postgresPort, database);
    }

    /** The environment variables a service reads (see its application.properties). */
    public Map<String, String> serviceEnvironment(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SANDBOX_DB_URL", jdbcUrl(service.database()));
        env.put("SANDBOX_DB_USERNAME", postgresUsername);
        env.put("SANDBOX_DB_PASSWORD", postgresPassword);
        env.put("SANDBOX_KEYCLOAK_URL", keycloakUri());
        env.put("SANDBOX_REALM_URL", realmUri.toString());
        env.put("SANDBOX_CLIENT_SECRET", secret(service.clientSecretKey()));
        return env;
    }

    /** The same settings as Quarkus configuration properties, for {@code @QuarkusTest}. */
    public Map<String, String> serviceConfiguration(Service service) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", jdbcUrl(service.database()));
        config.put("quarkus.datasource.username", postgresUsername);
        config.put("quarkus.datasource.password", postgresPassword);
        config.put("sandbox.identity.server-url", keycloakUri());
        config.put("sandbox.identity.realm-url", realmUri.toString());
        config.put("quarkus.oidc.web.credentials.secret", secret(service.clientSecretKey()));
        config.put("quarkus.keycloak.admin-client.client-secret", secret(service.clientSecretKey()));
        return config;
    }

    /** Keycloak's base URL, without a trailing slash. */
    public String keycloakUri() {
        String base = realmUri.resolve("/").toString();
        return base.substring(0, base.length() - 1);
    }

    public String secret(String key) {
        String value = secrets.get(key);
        if (value == null) {
            throw new IllegalArgumentException("No secret named " + key);
        }
        return value;
    }

    public void save(Path file) {
        Properties p = new Properties();
        p.setProperty("postgres.host", postgresHost);
        p.setProperty("postgres.port", Integer.toString(postgresPort));
        p.setProperty("postgres.username", postgresUsername);
        p.setProperty("postgres.password", postgresPassword);
        p.setProperty("keycloak.realm", realmUri.toString());
        secrets.forEach((k, v) -> p.setProperty("secret." + k, v));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(out, "A running Sandbox environment. Local to this machine; never commit.");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LauncherException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    public static EnvironmentConnection load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new LauncherException("Could not read the environment description " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("secret.")) {
                secrets.put(name.substring("secret.".length()), p.getProperty(name));
            }
        }
        return new EnvironmentConnection(p.getProperty("postgres.host"), Integer.parseInt(p.getProperty("postgres.port")),
                p.getProperty("postgres.username"), p.getProperty("postgres.password"),
                URI.create(p.getProperty("keycloak.realm")), secrets);
    }
}
