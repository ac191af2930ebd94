package io.sandbox.launcher.fabric;

import io.sandbox.chaincode.SandboxChaincodeServer;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.devnet.ChaincodeHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sandbox chaincode server per organisation's peer, each on a port chosen once and kept (the installed package
 * names its address), with its CCaaS package written to {@code <dir>/<mspId>.tar.gz}.
 */
final class ChaincodeServers implements ChaincodeHost, AutoCloseable {

    private final Path dir;
    private final String label;
    private final Map<String, SandboxChaincodeServer> servers = new ConcurrentHashMap<>();
    private final Map<String, ChaincodePackage> packages = new ConcurrentHashMap<>();

    ChaincodeServers(Path dir, String label) {
        this.dir = dir;
        this.label = label;
    }

    @Override
    public synchronized Optional<byte[]> peerStarted(OrganisationMaterial organisation) {
        String mspId = organisation.mspId();
        ChaincodePackage pkg = packages.get(mspId);
        if (pkg == null) {
            try {
                int port = port(mspId);
                pkg = ChaincodePackage.ccaas(label,
                        "{\"address\":\"127.0.0.1:" + port + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}");
                write(packageFile(mspId), pkg.bytes());
                servers.put(mspId, SandboxChaincodeServer.start(new InetSocketAddress("127.0.0.1", port), pkg.packageId()));
                packages.put(mspId, pkg);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the chaincode server of " + mspId, e);
            } catch (Exception e) {
                throw new IllegalStateException("the chaincode server of " + mspId + " did not start: " + e.getMessage(), e);
            }
        }
        return Optional.of(pkg.bytes());
    }

    /** The package of an organisation whose peer started. */
    ChaincodePackage pkg(String mspId) {
        ChaincodePackage pkg = packages.get(mspId);
        if (pkg == null) {
            throw new IllegalStateException("no chaincode server runs for " + mspId);
        }
        return pkg;
    }

    Path packageFile(String mspId) {
        return dir.resolve(mspId + ".tar.gz");
    }

    private int port(String mspId) throws IOException {
        Path file = dir.resolve(mspId + ".port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        write(file, Integer.toString(port).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return port;
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".chaincode", ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        servers.values().forEach(SandboxChaincodeServer::close);
        servers.clear();
    }
}
