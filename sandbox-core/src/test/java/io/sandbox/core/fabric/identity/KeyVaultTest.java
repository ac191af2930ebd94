package io.sandbox.core.fabric.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import org.hyperledger.fabric.client.identity.Signers;
import org.junit.jupiter.api.Test;

class KeyVaultTest {

    private static final String LABEL = "RegulatorMSP/Admin@regulator.sandbox.test/signing";

    private final KeyPair keys = new CertificateIssuer(new SecureRandom()).newKeyPair();
    private final byte[] secret = randomBytes(32);
    private final KeyVault vault = KeyVault.fromMasterSecret(secret);

    @Test
    void roundTripsAndTheOpenedKeySignsForTheGateway() throws Exception {
        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);

        PrivateKey opened = KeyVault.fromMasterSecret(secret.clone()).open(sealed, LABEL);

        assertThat(opened.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(opened).isInstanceOf(ECPrivateKey.class);
        byte[] message = "tx".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Signers.newPrivateKeySigner(opened).sign(MessageDigest.getInstance("SHA-256").digest(message));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void sealedFormContainsNoPlaintextKeyAndIsFreshEachTime() {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        byte[] scalar = unsigned32(((ECPrivateKey) keys.getPrivate()).getS().toByteArray());

        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);

        assertThat(indexOf(sealed, pkcs8)).isEqualTo(-1);
        assertThat(indexOf(sealed, scalar)).isEqualTo(-1);
        assertThat(indexOf(sealed, Arrays.copyOf(pkcs8, 16))).isEqualTo(-1); // not even the PKCS#8 header
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(sealed).hasSize(1 + 16 + 12 + pkcs8.length + 16);
        assertThat(vault.seal(keys.getPrivate(), LABEL)).isNotEqualTo(sealed);
    }

    @Test
    void wrongMasterSecretFails() {
        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);
        byte[] other = secret.clone();
        other[0] ^= 1;

        assertThatThrownBy(() -> KeyVault.fromMasterSecret(other).open(sealed, LABEL))
                .isInstanceOf(KeyVaultException.class)
                .hasMessageContaining("wrong master secret");
    }

    @Test
    void wrongLabelFails() {
        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);

        assertThatThrownBy(() -> vault.open(sealed, "RegulatorMSP/User1@regulator.sandbox.test/signing"))
                .isInstanceOf(KeyVaultException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void everyTamperedByteFails() {
        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);
        for (int i = 1; i < sealed.length; i++) { // salt, nonce, ciphertext and tag
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> vault.open(tampered, LABEL))
                    .as("byte %d", i)
                    .isInstanceOf(KeyVaultException.class)
                    .hasMessageContaining("tampered");
        }
    }

    @Test
    void malformedInputFailsClearly() {
        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);
        byte[] otherVersion = sealed.clone();
        otherVersion[0] = 9;

        assertThatThrownBy(() -> vault.open(otherVersion, LABEL))
                .isInstanceOf(KeyVaultException.class).hasMessageContaining("unsupported version 9");
        assertThatThrownBy(() -> vault.open(Arrays.copyOf(sealed, 40), LABEL))
                .isInstanceOf(KeyVaultException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> vault.open(Arrays.copyOf(sealed, sealed.length - 1), LABEL))
                .isInstanceOf(KeyVaultException.class).hasMessageContaining("tampered");
    }

    @Test
    void masterSecretMustBeLongEnoughAndBase64Works() {
        assertThatThrownBy(() -> KeyVault.fromMasterSecret(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> KeyVault.fromBase64MasterSecret("not base64!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Base64");
        assertThatThrownBy(() -> KeyVault.fromMasterSecret(null))
                .isInstanceOf(NullPointerException.class).hasMessage("masterSecret");

        byte[] sealed = vault.seal(keys.getPrivate(), LABEL);
        KeyVault fromConfig = KeyVault.fromBase64MasterSecret(Base64.getEncoder().encodeToString(secret) + "\n");
        assertThat(fromConfig.open(sealed, LABEL).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(fromConfig.toString()).doesNotContain(Base64.getEncoder().encodeToString(secret));
    }

    @Test
    void callerWipingItsSecretDoesNotAffectTheVault() {
        byte[] mine = randomBytes(32);
        KeyVault own = KeyVault.fromMasterSecret(mine);
        byte[] sealed = own.seal(keys.getPrivate(), LABEL);
        Arrays.fill(mine, (byte) 0);

        assertThat(own.open(sealed, LABEL).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static byte[] unsigned32(byte[] twosComplement) {
        byte[] out = new byte[32];
        int copy = Math.min(32, twosComplement.length);
        System.arraycopy(twosComplement, twosComplement.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
