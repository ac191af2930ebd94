package io.sandbox.core.fabric.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The verifier of the hot paths accepts the JDK's signatures and nothing else. */
class EcdsaTest {

    private static final byte[] DATA = "a proposal's bytes".getBytes(StandardCharsets.UTF_8);

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static byte[] jdkSignature(KeyPair keys, byte[] data) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private static boolean verifies(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature verifier = Ecdsa.verifier("SHA256withECDSA", key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    @Test
    void aSignatureOfTheJdkVerifiesOnlyWithItsKeyAndItsData() throws Exception {
        KeyPair keys = keys();
        byte[] signature = jdkSignature(keys, DATA);
        assertThat(verifies(keys.getPublic(), DATA, signature)).isTrue();
        assertThat(verifies(keys().getPublic(), DATA, signature)).as("another key").isFalse();
        byte[] tampered = DATA.clone();
        tampered[0] ^= 1;
        assertThat(verifies(keys.getPublic(), tampered, signature)).as("other data").isFalse();
    }

    @Test
    void aSignatureThatIsNotStrictDerIsRefused() throws Exception {
        KeyPair keys = keys();
        byte[] signature = jdkSignature(keys, DATA);
        byte[] trailing = Arrays.copyOf(signature, signature.length + 1);
        assertThatThrownBy(() -> verifies(keys.getPublic(), DATA, trailing)).isInstanceOf(SignatureException.class);
    }

    @Test
    void theVerifierIsBouncyCastlesWithOneKeyObjectPerKey() throws Exception {
        KeyPair keys = keys();
        assertThat(Ecdsa.verifier("NONEwithECDSA", keys.getPublic()).getProvider().getName()).isEqualTo("BC");
        PublicKey sameKey = KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(keys.getPublic().getEncoded()));
        PublicKey converted = Ecdsa.bouncyCastleKey(keys.getPublic());
        assertThat(Ecdsa.bouncyCastleKey(sameKey)).isSameAs(converted);
        assertThat(converted.getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(Ecdsa.bouncyCastleKey(keys().getPublic())).isNotSameAs(converted);
    }

    @Test
    void theKeptKeyVerifiesAsAFreshOne() throws Exception {
        KeyPair keys = keys();
        byte[] signature = jdkSignature(keys, DATA);
        for (int i = 0; i < 3; i++) { // the first use precomputes, the next ones reuse it
            assertThat(verifies(keys.getPublic(), DATA, signature)).isTrue();
            byte[] tampered = signature.clone();
            tampered[tampered.length - 1] ^= 1;
            assertThat(verifies(keys.getPublic(), DATA, tampered)).isFalse();
        }
    }
}
