package io.sandbox.core.evidence;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Signs manifests with the platform's evidence key (SHA256withECDSA over {@link Manifest#signedBytes()}, the
 * certificate chain in PEM in the manifest) and checks such signatures.
 */
public final class ManifestSigner {

    private final PrivateKey key;
    private final List<X509Certificate> chain;

    /**
     * @param key   the signing certificate's private key (EC P-256)
     * @param chain the signing certificate first, then its issuers up to the self-signed root
     */
    public ManifestSigner(PrivateKey key, List<X509Certificate> chain) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
    }

    /** The manifest with its signature. */
    public Manifest sign(Manifest manifest) {
        try {
            Signature signer = Signature.getInstance(BundleFormat.SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(manifest.signedBytes());
            List<String> pems = new ArrayList<>();
            for (X509Certificate c : chain) {
                pems.add(pem(c));
            }
            return manifest.withSignature(new Manifest.Signature(BundleFormat.SIGNATURE_ALGORITHM, pems,
                    Base64.getEncoder().encodeToString(signer.sign())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the manifest", e);
        }
    }

    /** The root certificate of the chain (the one to pin). */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** A certificate as PEM. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    /** Reads one PEM certificate; {@link IllegalArgumentException} if it is not one. */
    public static X509Certificate parsePem(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate");
        }
    }

    /** SHA-256 of the certificate's DER, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a manifest's signature: the algorithm, the chain (each certificate issued by the next, the last
     * self-signed, issuers CAs, all valid at the manifest's {@code createdAt}), the pinned root if any, and the
     * ECDSA signature itself.
     *
     * @return the chain's root
     * @throws VerificationException with the exact reason
     */
    static X509Certificate check(Manifest manifest, X509Certificate pinnedRoot) {
        Manifest.Signature sig = manifest.signature();
        if (sig == null) {
            throw new VerificationException("manifest.json: not signed (no 'signature' member)");
        }
        if (!BundleFormat.SIGNATURE_ALGORITHM.equals(sig.algorithm())) {
            throw new VerificationException("manifest.json: signature algorithm '" + sig.algorithm()
                    + "' is not " + BundleFormat.SIGNATURE_ALGORITHM);
        }
        if (sig.chain().isEmpty()) {
            throw new VerificationException("manifest.json: the signature carries no certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; i < sig.chain().size(); i++) {
            try {
                chain.add(parsePem(sig.chain().get(i)));
            } catch (IllegalArgumentException e) {
                throw new VerificationException("manifest.json: signature.chain[" + i + "] is not a PEM X.509 certificate");
            }
        }
        Date at;
        try {
            at = Date.from(Instant.parse(manifest.createdAt()));
        } catch (DateTimeParseException e) {
            throw new VerificationException("manifest.json: createdAt '" + manifest.createdAt() + "' is not an ISO-8601 instant");
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : cert;
            try {
                cert.checkValidity(at);
            } catch (CertificateException e) {
                throw new VerificationException("manifest.json: certificate chain[" + i + "] ("
                        + cert.getSubjectX500Principal().getName() + ") was not valid at createdAt " + manifest.createdAt());
            }
            if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw new VerificationException("manifest.json: certificate chain[" + i + "] is not issued by chain["
                        + (i + 1 < chain.size() ? i + 1 : i) + "]" + (i + 1 < chain.size() ? "" : " (the last must be self-signed)"));
            }
            try {
                cert.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new VerificationException("manifest.json: certificate chain[" + i + "]'s signature does not verify with "
                        + (issuer == cert ? "its own key (not a self-signed root)" : "chain[" + (i + 1) + "]'s key"));
            }
            if (issuer != cert && issuer.getBasicConstraints() < 0) {
                throw new VerificationException("manifest.json: certificate chain[" + (i + 1) + "] is not a CA");
            }
        }
        X509Certificate root = chain.get(chain.size() - 1);
        if (pinnedRoot != null && !root.equals(pinnedRoot)) {
            throw new VerificationException("manifest.json: signed under root " + fingerprint(root)
                    + ", not the pinned trust root " + fingerprint(pinnedRoot));
        }
        X509Certificate signing = chain.get(0);
        boolean[] usage = signing.getKeyUsage();
        if (usage != null && !usage[0]) {
            throw new VerificationException("manifest.json: the signing certificate does not allow digitalSignature");
        }
        try {
            Signature verifier = Signature.getInstance(BundleFormat.SIGNATURE_ALGORITHM);
            verifier.initVerify(signing.getPublicKey());
            verifier.update(manifest.signedBytes());
            byte[] value;
            try {
                value = Base64.getDecoder().decode(sig.value());
            } catch (IllegalArgumentException e) {
                throw new VerificationException("manifest.json: signature.value is not Base64");
            }
            if (!verifier.verify(value)) {
                throw new VerificationException("manifest.json: the signature does not match the manifest's content"
                        + " (signed by " + signing.getSubjectX500Principal().getName() + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new VerificationException("manifest.json: the signature does not match the manifest's content ("
                    + e.getMessage() + ")");
        }
        return root;
    }
}
