package io.sandbox.core.fabric.admin;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach one peer.
 *
 * @param host         host name or address of the peer's gRPC listener
 * @param port         the gRPC port (TLS)
 * @param tlsRootCerts CAs the peer's TLS server certificate chains to
 * @param mspId        the MSP id of the organisation running the peer
 */
public record PeerEndpoint(String host, int port, List<X509Certificate> tlsRootCerts, String mspId) {

    /** Checks for nulls and the port range; copies the list. */
    public PeerEndpoint {
        Objects.requireNonNull(host, "host");
        tlsRootCerts = List.copyOf(Objects.requireNonNull(tlsRootCerts, "tlsRootCerts"));
        Objects.requireNonNull(mspId, "mspId");
        Ports.check(port);
        if (tlsRootCerts.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS root certificate is required");
        }
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * A new TLS gRPC channel to this peer for fabric-gateway or any Fabric service, trusting {@link #tlsRootCerts()}
     * and accepting messages up to Fabric's 100 MiB (blocks exceed grpc-java's 4 MiB default). The caller shuts it down.
     */
    public io.grpc.ManagedChannel openChannel() {
        return Tls.channel(host, port, tlsRootCerts, null);
    }
}
