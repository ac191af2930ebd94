package io.sandbox.launcher.keycloak;

import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds a JDK that Keycloak can run on (21 or newer): this JVM if it qualifies, else an installed one. */
final class KeycloakJava {

    static final int MINIMUM = 21;

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)(?:\\.(\\d+))?");

    private KeycloakJava() {
    }

    /** The home of the JDK to pass to {@code kc.sh} as {@code JAVA_HOME}. */
    static Path locate() {
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= MINIMUM && Files.isExecutable(current.resolve("bin/java"))) {
            return current;
        }
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(home -> !home.isBlank()).map(Path::of).ifPresent(candidates::add);
        candidates.addAll(children(Path.of("/usr/lib/jvm")));
        candidates.addAll(children(Path.of("/opt/java")));
        candidates.addAll(children(Path.of(System.getProperty("user.home"), ".sdkman/candidates/java")));
        return candidates.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> featureVersion(home) >= MINIMUM)
                .findFirst()
                .orElseThrow(() -> new LauncherException(
                        "Keycloak needs a JDK %d or newer, and none was found (this launcher runs on Java %d; looked at JAVA_HOME, /usr/lib/jvm, /opt/java and ~/.sdkman/candidates/java). Install one, e.g. Temurin 21, or set JAVA_HOME to it."
                                .formatted(MINIMUM, Runtime.version().feature())));
    }

    /** The feature version that {@code <home>/release} declares (8 for "1.8.0"), or 0 if unknown. */
    static int featureVersion(Path home) {
        try {
            Matcher matcher = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            if (!matcher.find()) {
                return 0;
            }
            int first = Integer.parseInt(matcher.group(1));
            return first == 1 && matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : first;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Subdirectories, newest JDK first. */
    private static List<Path> children(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(KeycloakJava::featureVersion).reversed().thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
