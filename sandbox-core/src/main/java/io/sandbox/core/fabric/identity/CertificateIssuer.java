package io.sandbox.core.fabric.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues ECDSA P-256 certificates with BouncyCastle's builders over the JDK's default providers (no
 * provider is registered globally). Signatures are SHA256withECDSA.
 */
final class CertificateIssuer {

    /** The leaf profiles Fabric needs. */
    enum Profile {
        /** An MSP signing certificate: digitalSignature, no extended key usage. */
        SIGNING,
        /** A node TLS certificate: digitalSignature, serverAuth and clientAuth. */
        TLS_SERVER,
        /** A TLS client certificate for mutual TLS: digitalSignature, clientAuth. */
        TLS_CLIENT
    }

    private static final String CURVE = "secp256r1";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final SecureRandom random;

    CertificateIssuer(SecureRandom random) {
        this.random = random;
    }

    KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an ECDSA " + CURVE + " key pair", e);
        }
    }

    /** A self-signed CA: basicConstraints CA:true, keyCertSign and cRLSign, SubjectKeyIdentifier. */
    CertifiedKey selfSignedCa(X500Name subject, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair();
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), notBefore, notAfter)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(keys.getPublic()));
            return new CertifiedKey(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build CA certificate for " + subject, e);
        }
    }

    /** A leaf certificate for a fresh key, issued by {@code issuer}. */
    CertifiedKey issue(CertifiedKey issuer, X500Name subject, Profile profile, List<GeneralName> alternativeNames,
            Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair();
        X509Certificate issuerCert = issuer.certificate();
        X500Name issuerName = X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
        Instant capped = notAfter.isAfter(issuerCert.getNotAfter().toInstant())
                ? issuerCert.getNotAfter().toInstant() : notAfter;
        try {
            X509v3CertificateBuilder builder = builder(issuerName, subject, keys.getPublic(), notBefore, capped)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new AuthorityKeyIdentifier(keyIdentifier(issuerCert.getPublicKey())));
            switch (profile) {
                case SIGNING -> { }
                case TLS_SERVER -> builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                case TLS_CLIENT -> builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            if (!alternativeNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
            }
            return new CertifiedKey(sign(builder, issuer.privateKey()), keys.getPrivate());
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build certificate for " + subject, e);
        }
    }

    /**
     * The key identifier Fabric's {@code cryptogen} uses: SHA-256 of the uncompressed EC point
     * (the subjectPublicKey bit string).
     */
    static byte[] keyIdentifier(PublicKey key) {
        byte[] point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        try {
            return MessageDigest.getInstance("SHA-256").digest(point);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static SubjectKeyIdentifier subjectKeyIdentifier(PublicKey key) {
        return new SubjectKeyIdentifier(keyIdentifier(key));
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant notBefore,
            Instant notAfter) {
        // 128 random bits as cryptogen, plus one so the serial is never zero.
        BigInteger serial = new BigInteger(128, random).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            var signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }
}
