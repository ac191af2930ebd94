package io.sandbox.core.fabric.admin;

import io.sandbox.core.fabric.identity.FabricIdentity;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.hyperledger.fabric.client.identity.Signer;

/**
 * The identity that signs admin requests (proposals and transactions): an organisation admin.
 *
 * @param mspId       the organisation's MSP id
 * @param certificate the admin's signing certificate
 * @param signer      signs SHA-256 digests with the certificate's key (fabric-gateway semantics)
 */
public record AdminIdentity(String mspId, X509Certificate certificate, Signer signer) {

    /** Checks for nulls. */
    public AdminIdentity {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(signer, "signer");
    }

    /** The admin identity of generated organisation material. */
    public static AdminIdentity of(FabricIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        return new AdminIdentity(identity.mspId(), identity.signing().certificate(), identity.gatewaySigner());
    }
}
