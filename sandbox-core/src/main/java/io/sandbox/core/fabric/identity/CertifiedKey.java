package io.sandbox.core.fabric.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key. Held in memory only; persist the key through {@link KeyVault}.
 *
 * @param certificate the X.509 certificate
 * @param privateKey  the matching private key
 */
public record CertifiedKey(X509Certificate certificate, PrivateKey privateKey) {

    /** Checks for nulls. */
    public CertifiedKey {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The certificate in PEM form. */
    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "CertifiedKey[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
