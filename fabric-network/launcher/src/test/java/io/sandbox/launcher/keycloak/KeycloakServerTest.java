package io.sandbox.launcher.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.postgres.PostgresServer;
import io.sandbox.launcher.postgres.PostgresSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Keycloak on a real, fresh PostgreSQL: started cold (schema creation and realm import),
 * asked for tokens, stopped, and started again warm. Timings and memory go to the test's output.
 */
class KeycloakServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void startsIssuesRealTokensAndStopsCleanly() throws Exception {
        Path home = Path.of("target", "keycloak-it").toAbsolutePath();
        Path logFile = home.resolve("keycloak.log");

        long started = System.nanoTime();
        Path dist = KeycloakDistribution.install(home);
        KeycloakDistribution.build(dist, KeycloakJava.locate(), logFile);
        Duration install = since(started);

        try (PostgresServer postgres = PostgresServer.start(new PostgresSettings(home.resolve("postgres"), freePort(), true,
                home.resolve("postgres.log")), "pg-" + System.nanoTime())) {
            postgres.ensureDatabase("keycloak");
            KeycloakSettings settings = new KeycloakSettings(home, freePort(), freePort(), logFile,
                    postgres.jdbcUrl("keycloak"), postgres.username(), postgres.password(), "admin-pw",
                    KeycloakRealmTemplateTest.VALUES);

            started = System.nanoTime();
            Duration cold;
            List<ProcessHandle> processes;
            try (KeycloakServer keycloak = KeycloakServer.start(settings)) {
                cold = since(started);
                assertThat(keycloak.realmUri()).isEqualTo(URI.create("http://127.0.0.1:" + settings.httpPort() + "/realms/sandbox"));
                processes = processes(keycloak);

                JsonNode regulator = payload(KeycloakTokens.passwordGrant(keycloak.realmUri(), "sandbox-cli", "regulator", "regulator-pw"));
                assertThat(regulator.path("preferred_username").asText()).isEqualTo("regulator");
                assertThat(texts(regulator.path("realm_access").path("roles"))).contains("regulator").doesNotContain("auditor", "startup");

                JsonNode startup = payload(KeycloakTokens.passwordGrant(keycloak.realmUri(), "sandbox-cli", "startup", "startup-pw"));
                assertThat(startup.path("tenant").asText()).isEqualTo("demo-startup");
                assertThat(texts(startup.path("realm_access").path("roles"))).contains("startup");

                assertThatThrownBy(() -> KeycloakTokens.passwordGrant(keycloak.realmUri(), "sandbox-cli", "regulator", "wrong"))
                        .isInstanceOf(LauncherException.class)
                        .hasMessageContaining("invalid_grant")
                        .hasMessageNotContaining("wrong");

                JsonNode onboarding = payload(KeycloakTokens.clientCredentials(keycloak.realmUri(), "startup-onboarding",
                        KeycloakRealmTemplateTest.VALUES.get("onboarding.secret")));
                assertThat(texts(onboarding.path("resource_access").path("realm-management").path("roles")))
                        .contains("manage-users", "view-users", "query-users", "query-groups", "manage-clients", "view-clients");
                assertThatThrownBy(() -> KeycloakTokens.clientCredentials(keycloak.realmUri(), "regulator-dashboard", "wrong"))
                        .isInstanceOf(LauncherException.class)
                        .hasMessageContaining("unauthorized_client");

                assertThat(KeycloakTokens.passwordGrant(keycloak.baseUri().resolve("/realms/master"), "admin-cli", "admin", "admin-pw"))
                        .isNotBlank();
            }
            assertThat(processes).noneMatch(ProcessHandle::isAlive);

            started = System.nanoTime();
            try (KeycloakServer keycloak = KeycloakServer.start(settings)) {
                Duration warm = since(started);
                processes = processes(keycloak);
                assertThat(KeycloakTokens.passwordGrant(keycloak.realmUri(), "sandbox-cli", "auditor", "auditor-pw")).isNotBlank();
                Thread.sleep(10_000);
                System.out.printf("Keycloak: unpack+build %d ms (0 when already done), cold start %d ms, warm start %d ms, RSS at rest %d MiB%n",
                        install.toMillis(), cold.toMillis(), warm.toMillis(), rssKib(processes) / 1024);
            }
            assertThat(processes).noneMatch(ProcessHandle::isAlive);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<ProcessHandle> processes(KeycloakServer keycloak) {
        ProcessHandle script = ProcessHandle.of(keycloak.pid()).orElseThrow();
        List<ProcessHandle> all = Stream.concat(Stream.of(script), script.descendants()).toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(2); // kc.sh and its JVM
        return all;
    }

    private static long rssKib(List<ProcessHandle> processes) throws Exception {
        long total = 0;
        for (ProcessHandle handle : processes) {
            Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(handle.pid())).start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            ps.waitFor();
            total += out.isEmpty() ? 0 : Long.parseLong(out);
        }
        return total;
    }

    private static JsonNode payload(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    private static List<String> texts(JsonNode array) {
        return Stream.iterate(0, i -> i < array.size(), i -> i + 1).map(i -> array.get(i).asText()).toList();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
