package io.sandbox.core.evidence;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * The offline verifier: {@code java -jar sandbox-verifier.jar bundle.zip [--trust-root root.pem]}. Prints what it
 * verified; exits 0 when the bundle verified, 1 with the exact reason of the first failure, 2 on a usage error.
 */
public final class VerifierMain {

    private static final String USAGE = "usage: java -jar sandbox-verifier.jar <bundle.zip> [--trust-root <root.pem>]";

    private VerifierMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path bundle = null;
        Path root = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--trust-root") && i + 1 < args.length) {
                root = Path.of(args[++i]);
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (!args[i].startsWith("--") && bundle == null) {
                bundle = Path.of(args[i]);
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        if (bundle == null) {
            err.println(USAGE);
            return 2;
        }
        if (!Files.isRegularFile(bundle)) {
            err.println("no such file: " + bundle);
            return 2;
        }
        X509Certificate trustRoot = null;
        if (root != null) {
            try {
                trustRoot = ManifestSigner.parsePem(Files.readString(root, StandardCharsets.US_ASCII));
            } catch (IOException | IllegalArgumentException e) {
                err.println("--trust-root " + root + ": not a readable PEM certificate");
                return 2;
            }
        }
        out.println("Verifying " + bundle);
        BundleVerification result = BundleVerifier.verify(bundle, trustRoot);
        for (String line : result.verified()) {
            out.println("  OK  " + line);
        }
        if (result.failure().isPresent()) {
            out.println("FAILED: " + result.failure().get());
            err.println("FAILED: " + result.failure().get());
            return 1;
        }
        out.println("VERIFIED: " + result.files() + " files, " + result.blocks() + " blocks, " + result.transactions()
                + " transactions; last header hash " + (result.lastHeaderHash().isEmpty() ? "<none>" : result.lastHeaderHash())
                + "; signing root SHA-256 " + result.rootFingerprint());
        return 0;
    }
}
