package io.sandbox.core.fabric.identity;

import java.security.PrivateKey;

/** Private key encodings. */
final class KeyEncodings {

    private KeyEncodings() {
    }

    /** The key's PKCS#8 DER encoding (a fresh array the caller may wipe). */
    static byte[] pkcs8(PrivateKey key) {
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key has no PKCS#8 encoding: " + key.getAlgorithm());
        }
        return der;
    }
}
