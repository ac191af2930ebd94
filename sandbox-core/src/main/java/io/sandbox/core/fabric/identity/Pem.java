package io.sandbox.core.fabric.identity;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** PEM encoding of certificates and PKCS#8 private keys. */
final class Pem {

    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    static String certificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    /** An unencrypted PKCS#8 {@code PRIVATE KEY} block: only for Fabric's own keystore files. */
    static String privateKey(PrivateKey key) {
        byte[] der = KeyEncodings.pkcs8(key);
        try {
            return encode("PRIVATE KEY", der);
        } finally {
            java.util.Arrays.fill(der, (byte) 0);
        }
    }

    private static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
