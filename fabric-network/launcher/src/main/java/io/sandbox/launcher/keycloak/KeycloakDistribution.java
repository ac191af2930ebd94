package io.sandbox.launcher.keycloak;

import io.sandbox.launcher.BuildInfo;
import io.sandbox.launcher.Console;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.process.ManagedProcess;
import io.sandbox.launcher.process.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Keycloak's distribution under {@code <home>/dist}: unpacked once from the zip that Maven cached, and
 * built ({@code kc.sh build}) once per set of build options, so that {@code start --optimized} is fast.
 * Markers inside {@code dist} record the version and the build options.
 */
final class KeycloakDistribution {

    /** Build-time options: {@code start --optimized} runs with exactly these. */
    static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true", "--metrics-enabled=false");

    /** Keycloak's own default heap outside containers, made explicit: the machine is shared. */
    static final String HEAP = "-Xms64m -Xmx512m";

    /**
     * C1 only: about half the CPU and a faster start on a small machine, at the price of slower
     * steady-state hashing (a password grant takes ~0.12 s instead of ~0.07 s).
     */
    static final String JIT = "-XX:TieredStopAtLevel=1";

    /** The class-data-sharing archive that the JVM writes on its first exit and maps on later starts. */
    static final String CDS_ARCHIVE = "data/keycloak-cds.jsa";

    private static final String VERSION_MARKER = ".sandbox-version";
    private static final String BUILD_MARKER = ".sandbox-build";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private KeycloakDistribution() {
    }

    /** Unpacks the distribution into {@code <home>/dist} unless that version is there already; returns it. */
    static Path install(Path home) {
        BuildInfo info = BuildInfo.load();
        String version = info.keycloakVersion();
        Path zip = info.artifact("org.keycloak", "keycloak-quarkus-dist", version, null, "zip");
        Path dist = home.resolve("dist");
        if (version.equals(readMarker(dist.resolve(VERSION_MARKER)))) {
            return dist;
        }
        if (!Files.isRegularFile(zip)) {
            throw new LauncherException("Keycloak %s is not in the Maven repository (%s). Run ./mvnw install once: the build downloads it."
                    .formatted(version, zip));
        }
        Console.step("Keycloak", "Unpacking Keycloak " + version + " into " + dist);
        try {
            Files.createDirectories(home);
            removeLeftovers(home);
            Path unpacked = Files.createTempDirectory(home, "dist.tmp-");
            unzip(zip, unpacked);
            Files.writeString(unpacked.resolve(VERSION_MARKER), version + "\n");
            if (Files.exists(dist)) {
                Path old = home.resolve("dist.old-" + System.nanoTime());
                Files.move(dist, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(unpacked, dist, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(unpacked, dist, StandardCopyOption.ATOMIC_MOVE);
            }
            return dist;
        } catch (IOException | UncheckedIOException e) {
            throw new LauncherException("Could not unpack Keycloak from %s into %s: %s".formatted(zip, home, e.getMessage()), e);
        }
    }

    /** Runs {@code kc.sh build} unless the distribution was built with {@link #BUILD_OPTIONS} already. */
    static void build(Path dist, Path javaHome, Path logFile) {
        Path marker = dist.resolve(BUILD_MARKER);
        String wanted = String.join(" ", BUILD_OPTIONS);
        if (wanted.equals(readMarker(marker))) {
            return;
        }
        Console.step("Keycloak", "Building an optimized Keycloak (once per install; log: " + logFile + ")");
        long started = System.nanoTime();
        try {
            Files.deleteIfExists(marker);
            Files.deleteIfExists(dist.resolve(CDS_ARCHIVE));
        } catch (IOException e) {
            throw new LauncherException("Could not reset " + marker + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(BUILD_OPTIONS);
        ManagedProcess build = ManagedProcess.start("Keycloak build", command, environment(javaHome, JIT), dist, logFile,
                StopSignal.TERM);
        int exit;
        try {
            exit = waitFor(build);
        } finally {
            build.stop(Duration.ofSeconds(10));
        }
        if (exit != 0) {
            throw new LauncherException("kc.sh build failed with exit code %d. Last lines of %s:%n%s"
                    .formatted(exit, logFile, build.logTail(30)));
        }
        try {
            Files.writeString(marker, wanted + "\n");
        } catch (IOException e) {
            throw new LauncherException("Could not write " + marker + ": " + e.getMessage(), e);
        }
        Console.done("Keycloak", "Built", Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * For {@code kc.sh start}: as {@link #environment(Path, String)}, plus the class-data-sharing archive
     * (left out when its path has blanks or quotes, which {@code kc.sh} would split).
     */
    static Map<String, String> startEnvironment(Path dist, Path javaHome) {
        String archive = dist.resolve(CDS_ARCHIVE).toString();
        boolean splittable = archive.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"' || c == '\\');
        return environment(javaHome, splittable ? JIT : JIT + " -XX:SharedArchiveFile=" + archive + " -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off");
    }

    /**
     * The environment for {@code kc.sh}: the chosen JDK, Keycloak's default JVM options (whatever the
     * caller's environment says) with a modest heap, and {@code javaOptions} appended.
     */
    static Map<String, String> environment(Path javaHome, String javaOptions) {
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", javaHome.toString());
        environment.put("JAVA", javaHome.resolve("bin/java").toString());
        environment.put("JAVA_OPTS", "");
        environment.put("JAVA_OPTS_KC_HEAP", HEAP);
        environment.put("JAVA_OPTS_APPEND", javaOptions);
        return environment;
    }

    private static int waitFor(ManagedProcess build) {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        try {
            while (build.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new LauncherException("kc.sh build did not finish within %d minutes. Last lines of %s:%n%s"
                            .formatted(BUILD_TIMEOUT.toMinutes(), build.logFile(), build.logTail(30)));
                }
                Thread.sleep(200);
            }
            return build.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("Interrupted while building Keycloak", e);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile archive = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry entry : (Iterable<ZipArchiveEntry>) archive.getEntries()::asIterator) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue; // the top folder keycloak-<version>/ itself
                }
                Path file = target.resolve(name.substring(slash + 1)).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("entry outside the archive's folder: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, file);
                }
                if ((entry.getUnixMode() & 0100) != 0) {
                    Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                    permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_EXECUTE));
                    Files.setPosixFilePermissions(file, permissions);
                }
            }
        }
    }

    /** Half-done unpacks and replaced installs from an earlier run that was killed. */
    private static void removeLeftovers(Path home) throws IOException {
        try (Stream<Path> entries = Files.list(home)) {
            for (Path leftover : entries.filter(p -> p.getFileName().toString().startsWith("dist.")).toList()) {
                deleteTree(leftover);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String readMarker(Path marker) {
        try {
            return Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
