package io.sandbox.onboarding.provisioning;

import io.sandbox.core.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.RoleScopeResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The KEYCLOAK step: the startup's tenant in the realm. A group {@code startup-<slug>} (attributes tenant, mspId,
 * channel); a user per representative (role {@code startup}, attribute {@code tenant}, no password: they set one
 * through the required actions); a confidential client {@code startup-<slug>-api} whose service account holds the
 * role {@code startup} and whose tokens carry the {@code tenant} claim. Everything is looked up by name first.
 */
@ApplicationScoped
class KeycloakTenant {

    static final String TENANT = "tenant";
    private static final List<String> REQUIRED_ACTIONS = List.of("UPDATE_PASSWORD", "VERIFY_EMAIL");

    private final Keycloak keycloak;
    private final String realmName;

    KeycloakTenant(Keycloak keycloak, @ConfigProperty(name = "quarkus.keycloak.admin-client.realm") String realmName) {
        this.keycloak = keycloak;
        this.realmName = realmName;
    }

    /** What the step needs of a provisioning, copied so that it can run beside the steps that hold the entity. */
    record Tenant(String slug, String legalName, String mspId, String channelId, String groupName, String apiClientId,
            List<Representative> representatives) {

        static Tenant of(Provisioning p) {
            return new Tenant(p.slug, p.legalName, p.mspId, p.channelId, p.groupName(), p.apiClientId(),
                    p.representatives.stream().map(r -> new Representative(r.name, r.email)).toList());
        }
    }

    /** A representative, by name and (lower-case) e-mail, which is the user name. */
    record Representative(String name, String email) {
    }

    /** The admin client is request scoped; the worker has no request of its own. */
    @ActivateRequestContext
    void ensure(Tenant tenant) {
        RealmResource realm = keycloak.realm(realmName);
        String groupId = ensureGroup(realm, tenant);
        StartupRole role = new StartupRole();
        for (Representative representative : tenant.representatives()) {
            Found user = ensureUser(realm, tenant, representative);
            UserResource resource = realm.users().get(user.id());
            role.grant(resource.roles().realmLevel(), user.created());
            resource.joinGroup(groupId);
        }
        Found client = ensureClient(realm, tenant);
        role.grant(realm.users().get(realm.clients().get(client.id()).getServiceAccountUser().getId()).roles().realmLevel(),
                client.created());
    }

    /** An object looked up by name, and whether this call created it. */
    private record Found(String id, boolean created) {
    }

    /** Grants the realm role {@code startup}; its representation is read once per tenant. */
    private static final class StartupRole {

        private RoleRepresentation role;

        /**
         * Grants the role unless held; an account this call created holds only the realm's defaults, so it is not
         * asked. The role is found among the mappable ones (reading roles needs more rights).
         */
        void grant(RoleScopeResource realmRoles, boolean created) {
            if (!created && realmRoles.listAll().stream().anyMatch(r -> Roles.STARTUP.equals(r.getName()))) {
                return;
            }
            if (role == null) {
                role = realmRoles.listAvailable().stream().filter(r -> Roles.STARTUP.equals(r.getName())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the realm role " + Roles.STARTUP
                                + " is not available to this service's account"));
            }
            realmRoles.add(List.of(role));
        }
    }

    /**
     * The look-ups {@link #ensure} starts with, for names no tenant has (a warm-up at start: the admin client's token,
     * its REST paths and Keycloak's own). Changes nothing.
     */
    @ActivateRequestContext
    void warm() {
        RealmResource realm = keycloak.realm(realmName);
        String absent = "startup-warmup-" + UUID.randomUUID();
        realm.groups().groups(absent, true, 0, 10, true);
        realm.users().searchByUsername(absent + "@warmup.invalid", true);
        realm.clients().findByClientId(absent);
    }

    /** The API client's secret, read from Keycloak (never stored by the platform). */
    @ActivateRequestContext
    Optional<String> apiClientSecret(Provisioning p) {
        RealmResource realm = keycloak.realm(realmName);
        return realm.clients().findByClientId(p.apiClientId()).stream().findFirst()
                .map(c -> realm.clients().get(c.getId()).getSecret().getValue());
    }

    private static String ensureGroup(RealmResource realm, Tenant tenant) {
        Map<String, List<String>> attributes = Map.of(TENANT, List.of(tenant.slug()), "mspId", List.of(tenant.mspId()),
                "channel", List.of(tenant.channelId()));
        Optional<GroupRepresentation> found = realm.groups().groups(tenant.groupName(), true, 0, 10, true).stream()
                .filter(g -> g.getName().equals(tenant.groupName())).findFirst();
        if (found.isEmpty()) {
            GroupRepresentation created = new GroupRepresentation();
            created.setName(tenant.groupName());
            created.setAttributes(attributes);
            try (Response response = realm.groups().add(created)) {
                return CreatedResponseUtil.getCreatedId(response);
            }
        }
        GroupRepresentation group = realm.groups().group(found.get().getId()).toRepresentation();
        if (!attributes.equals(group.getAttributes())) {
            group.setAttributes(attributes);
            realm.groups().group(group.getId()).update(group);
        }
        return group.getId();
    }

    private static Found ensureUser(RealmResource realm, Tenant tenant, Representative representative) {
        List<UserRepresentation> found = realm.users().searchByUsername(representative.email(), true);
        if (!found.isEmpty()) {
            UserRepresentation user = found.get(0);
            List<String> owner = user.getAttributes() == null ? null : user.getAttributes().get(TENANT);
            if (owner != null && !owner.equals(List.of(tenant.slug()))) {
                throw new IllegalStateException("the Keycloak user " + representative.email()
                        + " already belongs to another tenant");
            }
            if (owner == null) {
                user.singleAttribute(TENANT, tenant.slug());
                realm.users().get(user.getId()).update(user);
            }
            return new Found(user.getId(), false);
        }
        UserRepresentation user = new UserRepresentation();
        user.setUsername(representative.email());
        user.setEmail(representative.email());
        String name = representative.name().strip();
        int space = name.indexOf(' ');
        user.setFirstName(space < 0 ? name : name.substring(0, space));
        user.setLastName(space < 0 ? name : name.substring(space + 1).strip());
        user.setEnabled(true);
        user.setEmailVerified(false);
        user.setRequiredActions(REQUIRED_ACTIONS);
        user.setAttributes(Map.of(TENANT, List.of(tenant.slug())));
        try (Response response = realm.users().create(user)) {
            return new Found(CreatedResponseUtil.getCreatedId(response), true);
        }
    }

    private static Found ensureClient(RealmResource realm, Tenant tenant) {
        Optional<ClientRepresentation> found = realm.clients().findByClientId(tenant.apiClientId()).stream().findFirst();
        if (found.isPresent()) {
            ClientResource client = realm.clients().get(found.get().getId());
            boolean mapped = client.getProtocolMappers().getMappers().stream()
                    .anyMatch(m -> TENANT.equals(m.getName()));
            if (!mapped) {
                client.getProtocolMappers().createMapper(tenantClaim(tenant)).close();
            }
            return new Found(found.get().getId(), false);
        }
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(tenant.apiClientId());
        client.setName(tenant.legalName() + " (API)");
        client.setDescription("Service client of startup " + tenant.slug() + " for the sandbox APIs.");
        client.setProtocol("openid-connect");
        client.setEnabled(true);
        client.setPublicClient(false);
        client.setClientAuthenticatorType("client-secret");
        client.setServiceAccountsEnabled(true);
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setProtocolMappers(List.of(tenantClaim(tenant)));
        try (Response response = realm.clients().create(client)) {
            return new Found(CreatedResponseUtil.getCreatedId(response), true);
        }
    }

    private static ProtocolMapperRepresentation tenantClaim(Tenant tenant) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(TENANT);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-hardcoded-claim-mapper");
        mapper.setConfig(Map.of("claim.name", TENANT, "claim.value", tenant.slug(), "jsonType.label", "String",
                "access.token.claim", "true", "id.token.claim", "true", "userinfo.token.claim", "true",
                "introspection.token.claim", "true"));
        return mapper;
    }
}
