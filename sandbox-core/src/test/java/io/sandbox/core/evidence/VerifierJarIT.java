package io.sandbox.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged verifier jar, run as people run it: {@code java -jar sandbox-verifier.jar bundle.zip}. */
class VerifierJarIT {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("verifier.jar", "target/sandbox-verifier.jar"));
        assertThat(jar).as("the verifier jar is packaged before integration tests").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theJarVerifiesABundleAndRejectsATamperedOne() throws Exception {
        EvidenceKeys keys = EvidenceKeys.generate("IT platform", Instant.parse("2026-03-01T00:00:00Z"));
        Map<String, byte[]> bundle = EvidenceFixture.bundle(EvidenceFixture.chain(5, 3), 1, keys.signer());
        Path good = EvidenceFixture.write(bundle, dir.resolve("good.zip"));
        Path root = dir.resolve("root.pem");
        Files.writeString(root, ManifestSigner.pem(keys.root().certificate()));

        Run ok = run(good.toString(), "--trust-root", root.toString());

        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("OK  signature: SHA256withECDSA")
                .contains("VERIFIED: " + (bundle.size() - 1) + " files, 4 blocks, 12 transactions")
                .contains("signing root SHA-256 " + ManifestSigner.fingerprint(keys.root().certificate()));

        Map<String, byte[]> tampered = new LinkedHashMap<>(bundle);
        byte[] csv = bundle.get(BundleFormat.TRANSACTIONS_CSV).clone();
        csv[csv.length - 3] ^= 0x01;
        tampered.put(BundleFormat.TRANSACTIONS_CSV, csv);
        Run bad = run(EvidenceFixture.write(tampered, dir.resolve("bad.zip")).toString());

        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("FAILED: transactions.csv: SHA-256 mismatch");

        assertThat(run().exit()).isEqualTo(2);
        assertThat(new String(Files.readAllBytes(root), StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
