package io.sandbox.onboarding.provisioning;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real devnet with the sandbox chaincode server ({@code FabricNetwork}), in a temporary directory with a random
 * master key, for the provisioning suites: supplies the three {@code sandbox.fabric.*} settings. The network runs in
 * a child JVM ({@link FabricTestNetworkMain}) on the test classpath minus the service's framework libraries, which the
 * chaincode server would otherwise scan for contracts; it is stopped with the tests.
 */
public final class FabricTestNetwork implements QuarkusTestResourceLifecycleManager {

    /** Libraries the network does not need: Quarkus, Keycloak, persistence, test and web tooling. */
    private static final Pattern NOT_NEEDED = Pattern.compile(
            "quarkus|keycloak|hibernate|vertx|resteasy|selenium|smallrye|jboss|narayana|agroal|postgresql|flyway"
                    + "|micrometer|rest-assured|groovy|mvnpm|htmx|assertj|awaitility|junit|byte-buddy|antlr|jandex"
                    + "|startup-onboarding/target/classes|graalvm|mutiny|parsson|yasson|opentest4j");

    private Path home;
    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            home = Files.createTempDirectory("sandbox-fabric-test");
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String masterKey = Base64.getEncoder().encodeToString(secret);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", classpath(), FabricTestNetworkMain.class.getName(), home.toString(), masterKey));
            process = new ProcessBuilder(command).redirectError(home.resolve("network.log").toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null;) {
                if (line.startsWith("READY\t")) {
                    String[] files = line.split("\t");
                    Thread.ofVirtual().start(() -> drain(out));
                    return Map.of("sandbox.fabric.profile", files[1], "sandbox.fabric.master-key", masterKey,
                            "sandbox.fabric.chaincode-package", files[2]);
                }
            }
            throw new IllegalStateException("the test Fabric network did not start; see " + home.resolve("network.log")
                    + ":\n" + Files.readString(home.resolve("network.log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network's process id (for measurements). */
    long pid() {
        return process.pid();
    }

    private static String classpath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(full.split(File.pathSeparator)).filter(e -> !NOT_NEEDED.matcher(e).find())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // the network's stdout is not needed
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: left for the OS
            }
        }
    }
}
