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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One sandbox chaincode server per organisation's peer, each on a port chosen once and kept (the installed package
 * names its address), with its CCaaS package written to {@code <dir>/<mspId>.tar.gz}.
 *
 * <p>Starting a server is slow: the shim scans the whole class path for contracts before it listens (1.7 s on both
 * cores, 3.3 s of CPU, on the launcher's class path once warm; far more on a test's class path). So a spare server is
 * kept for the next new organisation, which takes it ready: the scan is off its provisioning path. Its replacement
 * starts {@link #SPARE_DELAY} after it was taken, so that the scan does not compete for the cores with the rest of
 * that organisation's provisioning (its channel and chaincode steps take about as long); an organisation that comes
 * sooner starts the waiting spare at once and waits for it.
 */
final class ChaincodeServers implements ChaincodeHost, AutoCloseable {

    /** How long after an organisation took the spare its replacement starts. */
    static final Duration SPARE_DELAY = Duration.ofSeconds(4);

    /**
     * A server started (or about to start) ahead of the next new organisation, on its own port, with the package that
     * names it; {@code now} starts it at once.
     */
    private record Spare(int port, ChaincodePackage pkg, CompletableFuture<SandboxChaincodeServer> server,
            CountDownLatch now) {
    }

    private final Path dir;
    private final String label;
    private final Map<String, SandboxChaincodeServer> servers = new ConcurrentHashMap<>();
    private final Map<String, ChaincodePackage> packages = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private Spare spare;
    private volatile boolean closed;

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
                Path portFile = dir.resolve(mspId + ".port");
                boolean newOrganisation = !Files.exists(portFile);
                SandboxChaincodeServer server = null;
                if (newOrganisation && spare != null) {
                    server = take(spare, portFile);
                    pkg = server == null ? null : spare.pkg();
                    spare = null;
                }
                if (server == null) {
                    int port = port(portFile);
                    pkg = pkg(port);
                    server = SandboxChaincodeServer.start(new InetSocketAddress("127.0.0.1", port), pkg.packageId());
                }
                write(packageFile(mspId), pkg.bytes());
                servers.put(mspId, server);
                packages.put(mspId, pkg);
                if (spare == null && !closed) {
                    // a new organisation is being provisioned: its steps go first
                    spare = startSpare(newOrganisation ? SPARE_DELAY : Duration.ZERO);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the chaincode server of " + mspId, e);
            } catch (Exception e) {
                throw new IllegalStateException("the chaincode server of " + mspId + " did not start: " + e.getMessage(), e);
            }
        }
        return Optional.of(pkg.bytes());
    }

    /** The spare's server (started now if it still waited), its port now the organisation's; null if it failed. */
    private static SandboxChaincodeServer take(Spare spare, Path portFile) throws IOException {
        try {
            spare.now().countDown();
            SandboxChaincodeServer server = spare.server().join();
            write(portFile, Integer.toString(spare.port()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return server;
        } catch (java.util.concurrent.CompletionException e) {
            return null;
        }
    }

    private Spare startSpare(Duration delay) throws IOException {
        int port = freePort();
        ChaincodePackage pkg = pkg(port);
        CompletableFuture<SandboxChaincodeServer> server = new CompletableFuture<>();
        CountDownLatch now = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("sandbox-chaincode-spare").start(() -> {
            try {
                now.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                if (closed) {
                    throw new IllegalStateException("closed before the spare started");
                }
                server.complete(SandboxChaincodeServer.start(new InetSocketAddress("127.0.0.1", port), pkg.packageId()));
            } catch (Exception e) {
                server.completeExceptionally(e);
            }
        });
        return new Spare(port, pkg, server, now);
    }

    private ChaincodePackage pkg(int port) {
        return ChaincodePackage.ccaas(label,
                "{\"address\":\"127.0.0.1:" + port + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}");
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

    private int port(Path file) throws IOException {
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int port = freePort();
        write(file, Integer.toString(port).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".chaincode", ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (spare != null) {
                spare.now().countDown(); // ends its wait: it sees closed and starts nothing
                spare.server().thenAccept(SandboxChaincodeServer::close);
                spare = null;
            }
        }
        servers.values().forEach(SandboxChaincodeServer::close);
        servers.clear();
    }
}
