package io.sandbox.core.fabric.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cryptographic material of one Fabric organisation, generated in memory: a signing CA, a separate
 * TLS CA, an admin ({@code Admin@domain}), a client user ({@code User1@domain}) and one identity per
 * peer or orderer node of the {@link OrganisationSpec}.
 *
 * <p>All keys are ECDSA P-256 and certificates are signed with SHA256withECDSA, as {@code cryptogen}.
 * Certificates are valid from one hour before generation (clock skew) for the spec's validities.
 */
public interface OrganisationMaterial {

    /** Generates the material with the system clock and a strong random source. */
    static OrganisationMaterial generate(OrganisationSpec spec) {
        return generate(spec, Clock.systemUTC());
    }

    /** Generates the material with the given clock (for tests and reproducible validity windows). */
    static OrganisationMaterial generate(OrganisationSpec spec, Clock clock) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(clock, "clock");
        return GeneratedOrganisationMaterial.generate(spec, clock, new SecureRandom());
    }

    /** The spec this material was generated from. */
    OrganisationSpec spec();

    /** The MSP identifier. */
    default String mspId() {
        return spec().mspId();
    }

    /** The signing CA ({@code ca.<domain>}) that issues every identity certificate. */
    CertifiedKey signingCa();

    /** The TLS CA ({@code tlsca.<domain>}) that issues every TLS certificate. */
    CertifiedKey tlsCa();

    /** The organisation admin, NodeOU {@code admin}, with a TLS client certificate. */
    FabricIdentity admin();

    /** A client user, NodeOU {@code client}, with a TLS client certificate. */
    FabricIdentity user();

    /** The peer identities, in spec order. */
    List<FabricIdentity> peers();

    /** The orderer identities, in spec order. */
    List<FabricIdentity> orderers();

    /** Every identity: admin, user, peers, orderers. */
    default List<FabricIdentity> identities() {
        var all = new java.util.ArrayList<FabricIdentity>();
        all.add(admin());
        all.add(user());
        all.addAll(peers());
        all.addAll(orderers());
        return List.copyOf(all);
    }

    /** The identity with this certificate common name, or a node by its (short) host name. */
    default Optional<FabricIdentity> identity(String name) {
        Objects.requireNonNull(name, "name");
        return identities().stream()
                .filter(i -> i.name().equals(name) || i.role().isNode() && i.name().equals(qualifiedOrNull(name)))
                .findFirst();
    }

    private String qualifiedOrNull(String name) {
        try {
            return spec().qualifiedHostname(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
