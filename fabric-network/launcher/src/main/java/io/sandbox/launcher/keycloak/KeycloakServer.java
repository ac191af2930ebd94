package io.sandbox.launcher.keycloak;

import io.sandbox.launcher.Console;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.process.ManagedProcess;
import io.sandbox.launcher.process.Readiness;
import io.sandbox.launcher.process.StopSignal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Keycloak (the distribution Maven cached), on 127.0.0.1 with a PostgreSQL database, serving the
 * {@code sandbox} realm, which is imported on the first start and kept afterwards.
 */
public final class KeycloakServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ManagedProcess process;
    private final URI baseUri;

    private KeycloakServer(ManagedProcess process, URI baseUri) {
        this.process = process;
        this.baseUri = baseUri;
    }

    /**
     * Unpacks and builds Keycloak if needed, writes the realm to import and starts Keycloak; returns
     * once it is ready. Fails with a {@link LauncherException} if a port is taken, no JDK 21+ is found,
     * a realm value is missing, or Keycloak exits or is not ready within 180 s.
     */
    public static KeycloakServer start(KeycloakSettings settings) {
        Readiness.requireFreePort(settings.httpPort(), "Keycloak", "SANDBOX_KEYCLOAK_PORT");
        Readiness.requireFreePort(settings.managementPort(), "Keycloak's management interface", "SANDBOX_KEYCLOAK_MANAGEMENT_PORT");
        String realm = RealmTemplate.render(settings.realmValues());
        Path javaHome = KeycloakJava.locate();
        Path dist = KeycloakDistribution.install(settings.home());
        KeycloakDistribution.build(dist, javaHome, settings.logFile());
        RealmTemplate.write(realm, dist.resolve("data/import/" + RealmTemplate.REALM + "-realm.json"));

        URI baseUri = URI.create("http://127.0.0.1:" + settings.httpPort());
        Console.step("Keycloak", "Starting on " + baseUri + " (log: " + settings.logFile() + ")");
        long started = System.nanoTime();
        Map<String, String> environment = KeycloakDistribution.startEnvironment(dist, javaHome);
        environment.put("KC_DB_PASSWORD", settings.dbPassword());
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", settings.adminPassword());
        ManagedProcess process = ManagedProcess.start("Keycloak", command(dist, settings), environment, dist,
                settings.logFile(), StopSignal.TERM);
        KeycloakServer server = new KeycloakServer(process, baseUri);
        URI health = URI.create("http://127.0.0.1:" + settings.managementPort() + "/health/ready");
        URI discovery = URI.create(server.realmUri() + "/.well-known/openid-configuration");
        try {
            process.awaitReady(READY_TIMEOUT, () -> Readiness.httpOk(health) && Readiness.httpOk(discovery));
        } catch (RuntimeException e) {
            process.stop(STOP_GRACE);
            throw e;
        }
        Console.done("Keycloak", "Ready at " + server.realmUri(), Duration.ofNanos(System.nanoTime() - started));
        return server;
    }

    /** {@code kc.sh start}: runtime options only, the build-time ones are fixed by {@code kc.sh build}. */
    static List<String> command(Path dist, KeycloakSettings settings) {
        List<String> command = new ArrayList<>();
        command.add(dist.resolve("bin/kc.sh").toString());
        command.add("start");
        command.add("--optimized");
        command.add("--http-enabled=true");
        command.add("--http-host=127.0.0.1");
        command.add("--http-port=" + settings.httpPort());
        command.add("--http-management-port=" + settings.managementPort());
        // One fixed issuer, whichever host name a client uses (localhost or 127.0.0.1): tokens always verify.
        command.add("--hostname=http://127.0.0.1:" + settings.httpPort());
        command.add("--cache=local");
        command.add("--db-url=" + settings.jdbcUrl());
        command.add("--db-username=" + settings.dbUsername());
        command.add("--db-pool-max-size=20");
        command.add("--log-console-color=false");
        // No line per readiness poll; the brute-force detector says why it locks a user (its one event names no cause).
        command.add("--log-level=INFO,io.smallrye.health:WARN,org.keycloak.services.managers.DefaultBruteForceProtector:DEBUG");
        command.add("--import-realm");
        return command;
    }

    /** {@code http://127.0.0.1:<httpPort>} */
    public URI baseUri() {
        return baseUri;
    }

    /** {@code http://127.0.0.1:<httpPort>/realms/sandbox} */
    public URI realmUri() {
        return baseUri.resolve("/realms/" + RealmTemplate.REALM);
    }

    /** The process id of {@code kc.sh}, whose child is Keycloak's JVM. */
    long pid() {
        return process.pid();
    }

    /** Asks Keycloak to stop (SIGTERM), waits up to 30 s, then kills it. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }
}
