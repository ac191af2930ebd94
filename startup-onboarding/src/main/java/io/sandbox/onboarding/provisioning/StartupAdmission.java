package io.sandbox.onboarding.provisioning;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An admitted startup, as the approval flow hands it to {@link ProvisioningService#request}.
 *
 * <p>{@code slug} is the startup's short name: its Keycloak tenant, and the root of its Fabric names (MSP
 * {@code <Slug>MSP}, domain {@code <slug>.sandbox.local}, channel {@code sandbox-<slug>}).
 *
 * @param applicationId   the approved application; one provisioning per application
 * @param legalName       the startup's legal name
 * @param slug            lower case, {@code [a-z][a-z0-9-]{1,40}}; one provisioning per slug
 * @param representatives the people who get a Keycloak account, at least one
 * @param permitId        the permit the startup was admitted under
 */
public record StartupAdmission(UUID applicationId, String legalName, String slug, List<Representative> representatives,
        UUID permitId) {

    /** The pattern a slug must match. */
    public static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{1,40}");

    /** Checks every field; copies the list. */
    public StartupAdmission {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(legalName, "legalName");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(permitId, "permitId");
        representatives = List.copyOf(Objects.requireNonNull(representatives, "representatives"));
        if (legalName.isBlank()) {
            throw new IllegalArgumentException("legalName must not be blank");
        }
        if (!SLUG.matcher(slug).matches() || slug.endsWith("-")) {
            throw new IllegalArgumentException("slug must match " + SLUG + " and not end with '-': " + slug);
        }
        if (representatives.isEmpty()) {
            throw new IllegalArgumentException("at least one representative is required");
        }
    }

    /**
     * A person acting for the startup.
     *
     * @param name  full name
     * @param email e-mail address; also the Keycloak user name
     */
    public record Representative(String name, String email) {
        /** Checks for nulls and blanks. */
        public Representative {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
            if (name.isBlank() || !email.contains("@")) {
                throw new IllegalArgumentException("a representative needs a name and an e-mail address");
            }
        }
    }
}
