package io.sandbox.core.fabric.identity;

import java.security.PrivateKey;
import java.util.Base64;
import java.util.Objects;

/**
 * Seals private keys for storage at rest and opens them again.
 *
 * <p>Scheme (version 1): for each sealed key a random 16-byte salt and 12-byte nonce are drawn; the
 * key-encryption key is HKDF-SHA256(master secret, salt, info = {@code "io.sandbox.fabric.identity/key-vault/v1"});
 * the key's PKCS#8 encoding is encrypted with AES-256-GCM (128-bit tag), authenticating the header and the
 * caller's label as associated data. Sealed form: {@code 0x01 || salt || nonce || ciphertext+tag}.
 *
 * <p>The label binds a sealed key to its purpose (for example {@code "Org1MSP/Admin@org1.example.com/signing"}),
 * so a sealed key copied onto another record does not open. The master secret must be at least 32 bytes of
 * high-entropy key material from the secret store (not a password): HKDF does no key stretching.
 */
public interface KeyVault {

    /** Minimum master secret length in bytes. */
    int MIN_MASTER_SECRET_BYTES = 32;

    /** A vault over this master secret (copied; the caller may wipe its array). */
    static KeyVault fromMasterSecret(byte[] masterSecret) {
        Objects.requireNonNull(masterSecret, "masterSecret");
        return new AesGcmKeyVault(masterSecret);
    }

    /** A vault over a Base64-encoded master secret, as configuration usually carries it. */
    static KeyVault fromBase64MasterSecret(String masterSecretBase64) {
        Objects.requireNonNull(masterSecretBase64, "masterSecretBase64");
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(masterSecretBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master secret is not valid Base64");
        }
        try {
            return new AesGcmKeyVault(secret);
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Encrypts the key's PKCS#8 encoding.
     *
     * @param key   a private key with a PKCS#8 encoding
     * @param label the purpose the sealed key is bound to; the same label is needed to open it
     * @return the sealed form, safe to store
     */
    byte[] seal(PrivateKey key, String label);

    /**
     * Decrypts a sealed key.
     *
     * @throws KeyVaultException if the master secret or label is wrong, or the data was tampered with or is malformed
     */
    PrivateKey open(byte[] sealed, String label);
}
