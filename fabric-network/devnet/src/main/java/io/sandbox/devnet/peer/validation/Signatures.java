package io.sandbox.devnet.peer.validation;

import io.sandbox.core.fabric.identity.Ecdsa;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/** ECDSA verification as Fabric's MSP identities do it ({@code bccsp/sw/ecdsa.go}): SHA-256, low S only. */
final class Signatures {

    private Signatures() {}

    /** Null when the signature verifies, else why not. */
    static String verify(X509Certificate certificate, byte[] data, byte[] signature) {
        if (!(certificate.getPublicKey() instanceof ECPublicKey key)) {
            return "unsupported public key algorithm " + certificate.getPublicKey().getAlgorithm();
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
            if (seq.size() != 2) {
                return "malformed ECDSA signature";
            }
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            BigInteger halfOrder = key.getParams().getOrder().shiftRight(1);
            if (r.signum() <= 0 || s.signum() <= 0) {
                return "invalid signature, R and S must be positive";
            }
            if (s.compareTo(halfOrder) > 0) {
                return "invalid S, must be smaller than half the order";
            }
            Signature verifier = Ecdsa.verifier("SHA256withECDSA", key);
            verifier.update(data);
            return verifier.verify(signature) ? null : "the signature is invalid";
        } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            return "malformed signature: " + e.getMessage();
        }
    }
}
