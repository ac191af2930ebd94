package io.sandbox.launcher.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.launcher.LauncherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakRealmTemplateTest {

    static final Map<String, String> VALUES = Map.of(
            "onboarding.url", "http://localhost:8081",
            "onboarding.secret", "onboarding-\"secret\\",
            "dashboard.url", "http://localhost:8082",
            "dashboard.secret", "dashboard-secret",
            "regulator.password", "regulator-pw",
            "auditor.password", "auditor-pw",
            "startup.password", "startup-pw");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rendersEveryPlaceholderIntoValidJson() throws Exception {
        String rendered = RealmTemplate.render(VALUES);

        assertThat(rendered).doesNotContain("{{");
        JsonNode realm = JSON.readTree(rendered);
        assertThat(realm.path("realm").asText()).isEqualTo("sandbox");
        assertThat(realm.path("sslRequired").asText()).isEqualTo("external");
        assertThat(names(realm.path("roles").path("realm"), "name")).containsExactlyInAnyOrder("regulator", "auditor", "startup");

        JsonNode onboarding = find(realm.path("clients"), "clientId", "startup-onboarding");
        assertThat(onboarding.path("secret").asText()).isEqualTo("onboarding-\"secret\\");
        assertThat(onboarding.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(onboarding.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(names(onboarding.path("redirectUris"), null))
                .containsExactly("http://localhost:8081/*", "http://localhost:*", "http://127.0.0.1:*");
        JsonNode dashboard = find(realm.path("clients"), "clientId", "regulator-dashboard");
        assertThat(dashboard.path("secret").asText()).isEqualTo("dashboard-secret");
        JsonNode cli = find(realm.path("clients"), "clientId", "sandbox-cli");
        assertThat(cli.path("publicClient").asBoolean()).isTrue();
        assertThat(cli.path("directAccessGrantsEnabled").asBoolean()).isTrue();
        assertThat(cli.path("standardFlowEnabled").asBoolean()).isFalse();

        JsonNode startup = find(realm.path("users"), "username", "startup");
        assertThat(startup.path("attributes").path("tenant").get(0).asText()).isEqualTo("demo-startup");
        assertThat(startup.path("credentials").get(0).path("value").asText()).isEqualTo("startup-pw");
        assertThat(names(find(realm.path("users"), "username", "service-account-startup-onboarding")
                .path("clientRoles").path("realm-management"), null))
                .contains("manage-users", "view-users", "query-users", "query-groups", "manage-clients", "view-clients");
        // onboarding registers each provisioned startup's permit on the dashboard, which only regulators may do
        assertThat(names(find(realm.path("users"), "username", "service-account-startup-onboarding")
                .path("realmRoles"), null)).containsExactly("regulator");

        String userProfile = realm.path("components").path("org.keycloak.userprofile.UserProfileProvider")
                .get(0).path("config").path("kc.user.profile.config").get(0).asText();
        JsonNode tenant = find(JSON.readTree(userProfile).path("attributes"), "name", "tenant");
        assertThat(names(tenant.path("permissions").path("edit"), null)).containsExactly("admin");
    }

    @Test
    void refusesPlaceholdersWithoutValues() {
        Map<String, String> incomplete = new HashMap<>(VALUES);
        incomplete.remove("startup.password");
        incomplete.put("auditor.password", " ");

        assertThatThrownBy(() -> RealmTemplate.render(incomplete))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("auditor.password, startup.password");
        assertThatThrownBy(() -> RealmTemplate.fill("{\"a\": \"{{known}}\", \"b\": \"{{ unknown.one }}\"}", Map.of("known", "x")))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("were not given: unknown.one.");
    }

    @Test
    void writesTheRealmForTheOwnerOnly(@TempDir Path directory) throws Exception {
        Path target = directory.resolve("data/import/sandbox-realm.json");

        RealmTemplate.write("{}", target);
        RealmTemplate.write("{\"realm\": \"sandbox\"}", target);

        assertThat(target).hasContent("{\"realm\": \"sandbox\"}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void readsTheJavaFeatureVersionFromTheReleaseFile(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"21.0.5\"\n");
        assertThat(KeycloakJava.featureVersion(home)).isEqualTo(21);
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"1.8.0_412\"\n");
        assertThat(KeycloakJava.featureVersion(home)).isEqualTo(8);
        Files.delete(home.resolve("release"));
        assertThat(KeycloakJava.featureVersion(home)).isZero();
        assertThat(KeycloakJava.featureVersion(Path.of(System.getProperty("java.home")))).isEqualTo(Runtime.version().feature());
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(node -> value.equals(node.path(field).asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + "=" + value + " in " + array));
    }

    private static List<String> names(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(node -> field == null ? node.asText() : node.path(field).asText())
                .toList();
    }
}
