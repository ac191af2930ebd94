package io.sandbox.core.fabric.identity;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Objects;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * One enrolled member of an organisation: its NodeOU-classified signing certificate and its TLS
 * credentials (a server certificate for peers and orderers, a client certificate otherwise).
 *
 * @param mspId   the organisation's MSP identifier
 * @param name    the certificate common name, for example {@code Admin@org1.example.com} or
 *                {@code peer0.org1.example.com}
 * @param role    the NodeOU role carried in the signing certificate's subject OU
 * @param signing signing certificate (issued by the organisation's signing CA) and key
 * @param tls     TLS certificate (issued by the organisation's TLS CA) and key
 */
public record FabricIdentity(String mspId, String name, NodeOuRole role, CertifiedKey signing, CertifiedKey tls) {

    /** Checks for nulls. */
    public FabricIdentity {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(tls, "tls");
    }

    /** This identity for fabric-gateway: MSP id and signing certificate. */
    public X509Identity gatewayIdentity() {
        return new X509Identity(mspId, signing.certificate());
    }

    /**
     * A fabric-gateway signer over the signing key. Like every fabric-gateway signer it signs the
     * SHA-256 digest the gateway passes in, and its ECDSA signatures are normalised to low S as Fabric requires;
     * EC keys are signed by the JDK with a random nonce ({@link Ecdsa#signDigest}, as Fabric's own nodes sign),
     * in about half the time of fabric-gateway's BouncyCastle signer, which signs any other key.
     */
    public Signer gatewaySigner() {
        PrivateKey key = signing.privateKey();
        if (key instanceof ECPrivateKey) {
            return digest -> Ecdsa.signDigest(key, digest);
        }
        return Signers.newPrivateKeySigner(key);
    }
}
