package io.sandbox.devnet;

import io.sandbox.core.fabric.identity.Ecdsa;
import java.security.PrivateKey;

/**
 * How the devnet's nodes sign (endorsements, blocks, their own deliver requests), as a Fabric node's software
 * BCCSP does ({@code bccsp/sw/ecdsa.go signECDSA}): ECDSA over the SHA-256 digest with a random nonce, S
 * normalised to the lower half of the curve order, ASN.1 DER ({@link Ecdsa#signDigest}, the JDK's provider).
 */
public final class NodeSigning {

    private NodeSigning() {}

    /** The low-S DER ECDSA signature of a SHA-256 digest. */
    public static byte[] signDigest(PrivateKey key, byte[] digest) {
        return Ecdsa.signDigest(key, digest);
    }
}
