package io.sandbox.core.fabric.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * ECDSA for the hot paths. Signing ({@link #signDigest}) with the JDK, as a Fabric node's software BCCSP signs
 * ({@code bccsp/sw/ecdsa.go signECDSA}: random nonce, S normalised to the lower half of the order, ASN.1 DER), in
 * about half the time BouncyCastle's deterministic signer takes (140 against 290 microseconds).
 *
 * <p>Signature verification for the hot paths (every proposal, transaction and block): BouncyCastle's, which
 * verifies a P-256 signature in about half the time of the JDK's SunEC on this project's machines (220 against 430
 * microseconds; {@code SignatureBench}), and in half that again when it is given the same BouncyCastle key object
 * each time: the key's point keeps the multiples BouncyCastle precomputes for it (110-120 microseconds). So an EC key
 * is converted once (same key, same curve, same point) and kept. The callers keep their own checks (DER shape, low
 * S); both providers accept exactly the valid signatures.
 */
public final class Ecdsa {

    /** One instance, not registered with {@link java.security.Security}: nothing else changes provider. */
    private static final Provider PROVIDER = new BouncyCastleProvider();

    /** Keys seen (certificates of a network's members and nodes: a few hundred); emptied if it ever grows past. */
    private static final int MAX_KEYS = 4096;

    private static final Map<PublicKey, PublicKey> KEYS = new ConcurrentHashMap<>();

    /** Private keys of other providers (BouncyCastle's, algorithm "ECDSA") as the JDK's own, converted once. */
    private static final Map<PrivateKey, PrivateKey> JDK_KEYS = Collections.synchronizedMap(new WeakHashMap<>());

    private Ecdsa() {
    }

    /**
     * A verifier for {@code SHA256withECDSA}, {@code NONEwithECDSA} (a digest computed by the caller) and the like,
     * initialised with {@code key}.
     */
    public static Signature verifier(String algorithm, PublicKey key) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(algorithm, PROVIDER);
        verifier.initVerify(bouncyCastleKey(key));
        return verifier;
    }

    /** The BouncyCastle form of an EC key, the same object for equal keys; other keys as they are. */
    static PublicKey bouncyCastleKey(PublicKey key) throws GeneralSecurityException {
        if (!(key instanceof ECPublicKey) || key.getClass().getName().startsWith("org.bouncycastle.")) {
            return key;
        }
        PublicKey known = KEYS.get(key);
        if (known != null) {
            return known;
        }
        PublicKey converted = KeyFactory.getInstance("EC", PROVIDER)
                .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        if (KEYS.size() >= MAX_KEYS) {
            KEYS.clear();
        }
        PublicKey raced = KEYS.putIfAbsent(key, converted);
        return raced != null ? raced : converted;
    }

    /** The low-S DER ECDSA signature of a digest (SHA-256 for Fabric), signed by the JDK with a random nonce. */
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
            return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
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
