package io.sandbox.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.UserRepresentation;

/** The service reaches Keycloak's admin API as its own service account, as provisioning will. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class KeycloakAdminClientTest {

    @Inject
    Keycloak keycloak;

    @Test
    void serviceAccountReadsTheStartupMembersTenantAttribute() {
        List<UserRepresentation> users = keycloak.realm("sandbox").users().searchByUsername("startup", true);

        assertThat(users).singleElement().satisfies(user -> {
            assertThat(user.getUsername()).isEqualTo("startup");
            assertThat(user.getAttributes()).containsEntry("tenant", List.of("demo-startup"));
        });
    }
}
