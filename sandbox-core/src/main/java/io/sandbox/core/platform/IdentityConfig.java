package io.sandbox.core.platform;

import io.smallrye.config.ConfigMapping;

/** Where the platform's users sign in. */
@ConfigMapping(prefix = "sandbox.identity")
public interface IdentityConfig {

    /** Keycloak's base URL, e.g. {@code http://127.0.0.1:8180}; the admin client talks to it. */
    String serverUrl();

    /** The Keycloak realm's URL, e.g. {@code http://127.0.0.1:8180/realms/sandbox}; the OIDC issuer. */
    String realmUrl();
}
