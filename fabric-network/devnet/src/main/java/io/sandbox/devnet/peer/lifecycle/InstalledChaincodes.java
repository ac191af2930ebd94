package io.sandbox.devnet.peer.lifecycle;

import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.devnet.chaincode.ConnectionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The peer's store of installed chaincode packages ({@code persistence.Store}): one file per package,
 * {@code <label>.<sha256hex>.tar.gz} (Fabric's {@code CCFileName}: the package id with its first {@code :}
 * replaced by {@code .}), under {@code <peer data dir>/lifecycle/chaincodes}. The files are the source of truth, so
 * installs survive a restart. Only ccaas packages are installed: the devnet has no builders but the ccaas one, so
 * installing anything else fails as a failed build does in Fabric. Thread-safe.
 */
public final class InstalledChaincodes {

    private static final Pattern FILE = Pattern.compile("^(.+)[.]([0-9a-f]{64})[.]tar[.]gz$");

    /** An installed package. */
    public record Installed(String packageId, String label) {}

    private final Path dir;

    /** A store under {@code peerDataDir/lifecycle/chaincodes} (created when missing). */
    public InstalledChaincodes(Path peerDataDir) {
        this.dir = Objects.requireNonNull(peerDataDir, "peerDataDir").resolve("lifecycle").resolve("chaincodes");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create _lifecycle chaincodes install path: " + e.getMessage(), e);
        }
    }

    /** The directory holding the packages. */
    public Path directory() {
        return dir;
    }

    /**
     * Installs a package ({@code ExternalFunctions.InstallChaincode}): parses it, requires ccaas with a valid
     * {@code connection.json} (the devnet's "build"), stores it.
     *
     * @throws LifecycleException with Fabric's messages: unparsable package, already installed, failed build
     */
    public synchronized Installed install(byte[] packageBytes) {
        ChaincodePackage pkg;
        try {
            pkg = ChaincodePackage.parse(packageBytes);
        } catch (IllegalArgumentException e) {
            throw new LifecycleException("could not parse as a chaincode install package: " + e.getMessage(), e);
        }
        Path file = dir.resolve(fileName(pkg.packageId()));
        if (Files.exists(file)) {
            throw new LifecycleException("chaincode already successfully installed (package ID '"
                    + pkg.packageId() + "')");
        }
        try {
            ConnectionInfo.parse(pkg.connectionJson());
        } catch (IllegalArgumentException e) {
            throw new LifecycleException("could not build chaincode: " + e.getMessage(), e);
        }
        try {
            Path tmp = Files.createTempFile(dir, ".install", ".tmp");
            Files.write(tmp, pkg.bytes());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LifecycleException("could not save cc install package: error writing chaincode install"
                    + " package to " + file + ": " + e.getMessage(), e);
        }
        return new Installed(pkg.packageId(), pkg.label());
    }

    /** The installed package, if any. */
    public Optional<Installed> get(String packageId) {
        return Files.exists(dir.resolve(fileName(packageId))) ? parseName(fileName(packageId)) : Optional.empty();
    }

    /** All installed packages, ordered by file name. */
    public List<Installed> list() {
        List<Installed> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).sorted()
                    .forEach(name -> parseName(name).ifPresent(out::add));
        } catch (IOException e) {
            throw new UncheckedIOException("error reading chaincode directory at " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The package bytes.
     *
     * @throws LifecycleException (not found: 404) {@code chaincode install package '<id>' not found}
     */
    public byte[] load(String packageId) {
        Path file = dir.resolve(fileName(packageId));
        if (!Files.exists(file)) {
            throw LifecycleException.notFound("chaincode install package '" + packageId + "' not found");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LifecycleException("error reading chaincode install package at " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The connection info of an installed ccaas package. Cached: a package id names its content (label and
     * SHA-256), and an installed package is never replaced, so its connection info cannot change; the endorser
     * asks for it on every proposal and reading and unpacking the archive each time cost a disk read and a gunzip.
     */
    public ConnectionInfo connectionInfo(String packageId) {
        ConnectionInfo cached = connectionInfos.get(packageId);
        if (cached != null) {
            return cached;
        }
        ConnectionInfo info = ConnectionInfo.parse(ChaincodePackage.parse(load(packageId)).connectionJson());
        connectionInfos.put(packageId, info);
        return info;
    }

    private final java.util.Map<String, ConnectionInfo> connectionInfos = new java.util.concurrent.ConcurrentHashMap<>();

    static String fileName(String packageId) {
        if (packageId.contains("/") || packageId.contains("\\") || packageId.startsWith(".")) {
            throw new LifecycleException("invalid package id '" + packageId + "'");
        }
        return packageId.replaceFirst(":", ".") + ".tar.gz";
    }

    private static Optional<Installed> parseName(String fileName) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Installed(m.group(1) + ":" + m.group(2), m.group(1)));
    }
}
