package io.sandbox.devnet.orderer;

import io.sandbox.core.fabric.identity.FabricIdentity;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start an {@link OrdererNode}.
 *
 * @param host address both listeners bind to (e.g. {@code 127.0.0.1})
 * @param grpcPort port of the {@code orderer.AtomicBroadcast} gRPC service (TLS); 0 picks a free port
 * @param adminPort port of the channel participation REST API (HTTPS, mutual TLS); 0 picks a free port
 * @param dataDir directory of the channel ledgers; a restart on the same directory serves the same channels
 * @param tlsCertificateChain server TLS certificate first, then any intermediates (used by both listeners)
 * @param tlsKey the server TLS private key
 * @param adminClientRoots CAs a participation API client certificate must chain to (Fabric's
 *     {@code Admin.TLS.ClientRootCAs}); client authentication is always required there
 * @param grpcClientRoots CAs for gRPC client certificates; empty means gRPC clients are not asked for a
 *     certificate (Fabric's default {@code General.TLS.ClientAuthRequired: false}), otherwise one is required
 * @param signer the orderer's signing identity (MSP id, enrollment certificate and key) used to sign blocks
 * @param timeWindow Deliver's tolerated clock skew of a request's timestamp (Fabric's
 *     {@code General.Authentication.TimeWindow}, default 15m)
 */
public record OrdererConfig(
        String host,
        int grpcPort,
        int adminPort,
        Path dataDir,
        List<X509Certificate> tlsCertificateChain,
        PrivateKey tlsKey,
        List<X509Certificate> adminClientRoots,
        List<X509Certificate> grpcClientRoots,
        FabricIdentity signer,
        Duration timeWindow) {

    /** Fabric's {@code General.Authentication.TimeWindow} default. */
    public static final Duration DEFAULT_TIME_WINDOW = Duration.ofMinutes(15);

    public OrdererConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(signer, "signer");
        tlsCertificateChain = List.copyOf(tlsCertificateChain);
        adminClientRoots = List.copyOf(adminClientRoots);
        grpcClientRoots = List.copyOf(grpcClientRoots == null ? List.of() : grpcClientRoots);
        timeWindow = timeWindow == null ? DEFAULT_TIME_WINDOW : timeWindow;
        if (tlsCertificateChain.isEmpty()) {
            throw new IllegalArgumentException("a TLS server certificate is required");
        }
        if (adminClientRoots.isEmpty()) {
            throw new IllegalArgumentException("the participation API requires client authentication: give its client root CAs");
        }
        if (grpcPort < 0 || grpcPort > 65535 || adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("invalid port");
        }
    }

    /**
     * An orderer on {@code 127.0.0.1} with ephemeral ports whose TLS server certificate and signing identity
     * both come from {@code node} (an orderer identity of {@code OrganisationMaterial}).
     */
    public static OrdererConfig of(Path dataDir, FabricIdentity node, List<X509Certificate> adminClientRoots) {
        return new OrdererConfig("127.0.0.1", 0, 0, dataDir, List.of(node.tls().certificate()), node.tls().privateKey(),
                adminClientRoots, List.of(), node, DEFAULT_TIME_WINDOW);
    }

    /** This config with other ports (e.g. to restart on the ports a previous run used). */
    public OrdererConfig withPorts(int grpcPort, int adminPort) {
        return new OrdererConfig(host, grpcPort, adminPort, dataDir, tlsCertificateChain, tlsKey, adminClientRoots,
                grpcClientRoots, signer, timeWindow);
    }
}
