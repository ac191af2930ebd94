package io.sandbox.core.fabric.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** The version 1 {@link KeyVault} scheme: HKDF-SHA256 per-key KEK, AES-256-GCM. */
final class AesGcmKeyVault implements KeyVault {

    private static final byte VERSION = 1;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 1 + SALT_BYTES + NONCE_BYTES;
    private static final byte[] INFO = "io.sandbox.fabric.identity/key-vault/v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] masterSecret;
    private final SecureRandom random = new SecureRandom();

    AesGcmKeyVault(byte[] masterSecret) {
        if (masterSecret.length < MIN_MASTER_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "master secret must be at least " + MIN_MASTER_SECRET_BYTES + " bytes, got " + masterSecret.length);
        }
        this.masterSecret = masterSecret.clone();
    }

    @Override
    public byte[] seal(PrivateKey key, String label) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        byte[] header = new byte[HEADER_BYTES];
        header[0] = VERSION;
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        System.arraycopy(salt, 0, header, 1, SALT_BYTES);
        System.arraycopy(nonce, 0, header, 1 + SALT_BYTES, NONCE_BYTES);
        byte[] pkcs8 = KeyEncodings.pkcs8(key);
        try {
            byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, salt, nonce, header, label).doFinal(pkcs8);
            return ByteBuffer.allocate(HEADER_BYTES + ciphertext.length).put(header).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    @Override
    public PrivateKey open(byte[] sealed, String label) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(label, "label");
        if (sealed.length < HEADER_BYTES + TAG_BITS / 8 + 1) {
            throw new KeyVaultException("sealed key is malformed: too short (" + sealed.length + " bytes)");
        }
        if (sealed[0] != VERSION) {
            throw new KeyVaultException("sealed key has unsupported version " + sealed[0]);
        }
        byte[] header = Arrays.copyOfRange(sealed, 0, HEADER_BYTES);
        byte[] salt = Arrays.copyOfRange(sealed, 1, 1 + SALT_BYTES);
        byte[] nonce = Arrays.copyOfRange(sealed, 1 + SALT_BYTES, HEADER_BYTES);
        byte[] pkcs8;
        try {
            pkcs8 = cipher(Cipher.DECRYPT_MODE, salt, nonce, header, label)
                    .doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new KeyVaultException(
                    "sealed key failed authentication: wrong master secret or label, or the data was tampered with", e);
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("cannot open sealed key", e);
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(pkcs8));
        } catch (Exception e) {
            throw new KeyVaultException("sealed key does not contain a valid PKCS#8 private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private Cipher cipher(int mode, byte[] salt, byte[] nonce, byte[] header, String label)
            throws GeneralSecurityException {
        byte[] kek = new byte[32];
        var hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(masterSecret, salt, INFO));
        hkdf.generateBytes(kek, 0, kek.length);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return cipher;
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** Never prints the master secret. */
    @Override
    public String toString() {
        return "KeyVault[AES-256-GCM, HKDF-SHA256, v" + VERSION + "]";
    }
}
