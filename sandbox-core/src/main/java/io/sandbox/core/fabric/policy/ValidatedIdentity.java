package io.sandbox.core.fabric.policy;

import io.sandbox.core.fabric.identity.NodeOuRole;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Set;

/**
 * An identity that a channel's MSP accepted.
 *
 * @param mspId       the MSP that validated it
 * @param certificate its X.509 certificate
 * @param roles       the NodeOU role it carries (exactly one when the MSP enables NodeOUs), plus {@code ADMIN}
 *                    when its certificate is listed among the MSP's explicit admin certificates
 */
public record ValidatedIdentity(String mspId, X509Certificate certificate, Set<NodeOuRole> roles) {

    /** Checks for nulls and copies the roles. */
    public ValidatedIdentity {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(certificate, "certificate");
        roles = Set.copyOf(roles);
    }
}
