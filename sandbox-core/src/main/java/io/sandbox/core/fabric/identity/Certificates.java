package io.sandbox.core.fabric.identity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** PEM text of X.509 certificates, both ways. */
public final class Certificates {

    private Certificates() {
    }

    /** The certificate as one PEM block. */
    public static String pem(X509Certificate certificate) {
        return Pem.certificate(Objects.requireNonNull(certificate, "certificate"));
    }

    /**
     * The first certificate of a PEM text.
     *
     * @throws IllegalArgumentException if the text holds no valid X.509 certificate
     */
    public static X509Certificate parsePem(String pem) {
        Objects.requireNonNull(pem, "pem");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate");
        }
    }
}
