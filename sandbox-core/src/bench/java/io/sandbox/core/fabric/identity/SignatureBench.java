package io.sandbox.core.fabric.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * P-256 ECDSA per operation, the JDK's SunEC against BouncyCastle: verifying and signing a 3 KB message
 * ({@code SHA256withECDSA}) and a digest ({@code NONEwithECDSA}), a fresh {@link Signature} each time as the hot paths
 * use it, and {@link Ecdsa#verifier} (BouncyCastle given the same key object each time, as the hot paths now
 * use it). Prints microseconds per operation for each round and the 1-minute load average.
 *
 * <p>System properties: {@code bench.ops} (per measurement, 5000), {@code bench.rounds} (4; the first is warm-up).
 */
public final class SignatureBench {

    private SignatureBench() {
    }

    public static void main(String[] args) throws Exception {
        int ops = Integer.getInteger("bench.ops", 5000);
        int rounds = Integer.getInteger("bench.rounds", 4);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] message = new byte[3000];
        new SecureRandom().nextBytes(message);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
        Provider jdk = Signature.getInstance("SHA256withECDSA").getProvider();
        Provider bc = new BouncyCastleProvider();
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + (round == 1 ? " (warm-up)" : "") + ":");
            for (Provider provider : new Provider[] {jdk, bc}) {
                for (String algorithm : new String[] {"SHA256withECDSA", "NONEwithECDSA"}) {
                    byte[] data = algorithm.startsWith("NONE") ? digest : message;
                    byte[] signature = sign(provider, algorithm, keys, data);
                    long start = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        if (!verify(provider, algorithm, keys, data, signature)) {
                            throw new IllegalStateException("a valid signature did not verify");
                        }
                    }
                    long verified = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        signature = sign(provider, algorithm, keys, data);
                    }
                    long signed = System.nanoTime();
                    line.append(String.format(" | %s %s verify %.0f us, sign %.0f us", provider.getName(), algorithm,
                            (verified - start) / 1e3 / ops, (signed - verified) / 1e3 / ops));
                }
            }
            byte[] signature = sign(jdk, "SHA256withECDSA", keys, message);
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                Signature verifier = Ecdsa.verifier("SHA256withECDSA", keys.getPublic());
                verifier.update(message);
                if (!verifier.verify(signature)) {
                    throw new IllegalStateException("a valid signature did not verify");
                }
            }
            line.append(String.format(" | Ecdsa.verifier (BC, key kept) SHA256withECDSA verify %.0f us",
                    (System.nanoTime() - start) / 1e3 / ops));
            System.out.println(line + " | load " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
    }

    private static byte[] sign(Provider provider, String algorithm, KeyPair keys, byte[] data)
            throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm, provider);
        signer.initSign(keys.getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private static boolean verify(Provider provider, String algorithm, KeyPair keys, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(algorithm, provider);
        verifier.initVerify(keys.getPublic());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
