package io.sandbox.core.security;

/** The platform's roles, as Keycloak realm roles of the {@code sandbox} realm. */
public final class Roles {

    /** Admits startups, sets permits, supervises pilots, writes rules. */
    public static final String REGULATOR = "regulator";
    /** Read-only; exports evidence. */
    public static final String AUDITOR = "auditor";
    /** A member of an admitted (or applying) startup; sees only its own tenant. */
    public static final String STARTUP = "startup";

    private Roles() {
    }
}
