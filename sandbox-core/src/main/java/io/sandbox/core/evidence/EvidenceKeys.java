package io.sandbox.core.evidence;

import io.sandbox.core.fabric.identity.CertifiedKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The platform's evidence signing identity: a self-signed ECDSA P-256 root CA and a signing certificate it issues
 * (digitalSignature only). Generated at run time; the dashboard stores both keys sealed. Not used by the verifier.
 *
 * @param root    the root CA (its key only issues the signing certificate)
 * @param signing the key that signs manifests
 */
public record EvidenceKeys(CertifiedKey root, CertifiedKey signing) {

    /** Root validity; the signing certificate lives as long. */
    public static final Duration VALIDITY = Duration.ofDays(3650);

    /** A fresh identity named after {@code platform} (e.g. "Sandbox platform"). */
    public static EvidenceKeys generate(String platform, Instant now) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPair rootKeys = keyPair(random);
            X500Name rootName = new X500Name("CN=" + platform + " evidence root CA,O=Sandbox");
            Instant notBefore = now.minus(Duration.ofMinutes(5));
            Instant notAfter = now.plus(VALIDITY);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            var rootBuilder = new JcaX509v3CertificateBuilder(rootName, serial(random), Date.from(notBefore),
                    Date.from(notAfter), rootName, rootKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKeys.getPublic()));
            X509Certificate rootCert = sign(rootBuilder, rootKeys.getPrivate());
            KeyPair signingKeys = keyPair(random);
            var signingBuilder = new JcaX509v3CertificateBuilder(rootCert, serial(random), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + platform + " evidence signing,O=Sandbox"),
                    signingKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(signingKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootCert));
            X509Certificate signingCert = sign(signingBuilder, rootKeys.getPrivate());
            return new EvidenceKeys(new CertifiedKey(rootCert, rootKeys.getPrivate()),
                    new CertifiedKey(signingCert, signingKeys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the evidence signing identity", e);
        }
    }

    /** A signer over this identity. */
    public ManifestSigner signer() {
        return new ManifestSigner(signing.privateKey(), List.of(signing.certificate(), root.certificate()));
    }

    private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(128, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(BundleFormat.SIGNATURE_ALGORITHM).build(key)));
    }
}
