package io.sandbox.core.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling: the Keycloak user name, the platform roles they hold and, for a startup member,
 * the tenant (startup) they belong to.
 *
 * @param username the {@code preferred_username} of the token
 * @param roles the caller's platform roles (see {@link Roles})
 * @param tenant the startup tenant of a startup member, empty for regulators and auditors
 */
public record Caller(String username, Set<String> roles, Optional<String> tenant) {

    private static final Set<String> PLATFORM_ROLES = Set.of(Roles.REGULATOR, Roles.AUDITOR, Roles.STARTUP);

    public Caller {
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(tenant, "tenant");
    }

    /** The caller behind an authenticated identity; only platform roles are kept. */
    public static Caller of(SecurityIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        Set<String> roles = new TreeSet<>(identity.getRoles());
        roles.retainAll(PLATFORM_ROLES);
        Optional<String> tenant = Optional.empty();
        String username = identity.getPrincipal().getName();
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            tenant = Optional.ofNullable(jwt.<Object>getClaim("tenant")).map(Object::toString).filter(t -> !t.isBlank());
            username = Optional.ofNullable(jwt.<Object>getClaim("preferred_username")).map(Object::toString).orElse(username);
        }
        return new Caller(username, roles, tenant);
    }

    public boolean is(String role) {
        return roles.contains(role);
    }
}
