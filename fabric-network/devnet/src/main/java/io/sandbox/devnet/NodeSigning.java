package io.sandbox.devnet;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * How the devnet's nodes sign (endorsements, blocks, their own deliver requests), as a Fabric node's software
 * BCCSP does ({@code bccsp/sw/ecdsa.go signECDSA}): ECDSA over the SHA-256 digest with a random nonce, S
 * normalised to the lower half of the curve order, ASN.1 DER. The JDK's own provider, which signs in about half
 * the time BouncyCastle's deterministic signer (the client library's) takes.
 */
public final class NodeSigning {

    /** Keys of other providers (BouncyCastle's, algorithm "ECDSA") as the JDK's own, converted once per key. */
    private static final Map<PrivateKey, PrivateKey> JDK_KEYS = Collections.synchronizedMap(new WeakHashMap<>());

    private NodeSigning() {}

    /** The low-S DER ECDSA signature of a SHA-256 digest. */
    public static byte[] signDigest(PrivateKey key, byte[] digest) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("not an EC private key: " + key.getAlgorithm());
        }
        try {
            Signature signer = Signature.getInstance("NONEwithECDSA", "SunEC");
            signer.initSign(jdkKey(ec));
            signer.update(digest);
            ASN1Sequence rs = ASN1Sequence.getInstance(signer.sign());
            BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
            BigInteger order = ec.getParams().getOrder();
            if (s.compareTo(order.shiftRight(1)) > 0) {
                s = order.subtract(s);
            }
            return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)})
                    .getEncoded();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static PrivateKey jdkKey(ECPrivateKey key) {
        if ("EC".equals(key.getAlgorithm())) {
            return key;
        }
        return JDK_KEYS.computeIfAbsent(key, k -> {
            try {
                return KeyFactory.getInstance("EC", "SunEC")
                        .generatePrivate(new ECPrivateKeySpec(key.getS(), key.getParams()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot use the EC key with the JDK: " + e.getMessage(), e);
            }
        });
    }
}
