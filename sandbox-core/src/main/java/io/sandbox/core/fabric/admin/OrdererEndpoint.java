package io.sandbox.core.fabric.admin;

import io.sandbox.core.fabric.identity.CertifiedKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach one ordering service node.
 *
 * @param host           host name or address of both listeners
 * @param grpcPort       the {@code AtomicBroadcast} gRPC port (TLS)
 * @param adminPort      the channel participation API port (HTTPS)
 * @param tlsRootCerts   CAs the node's TLS server certificates chain to
 * @param adminTlsClient the TLS client certificate and key presented to the participation API (mutual TLS) and, when
 *                       the node asks for one, to the gRPC listener; {@code null} presents none
 */
public record OrdererEndpoint(String host, int grpcPort, int adminPort, List<X509Certificate> tlsRootCerts,
        CertifiedKey adminTlsClient) {

    /** Checks for nulls and port ranges; copies the list. */
    public OrdererEndpoint {
        Objects.requireNonNull(host, "host");
        tlsRootCerts = List.copyOf(Objects.requireNonNull(tlsRootCerts, "tlsRootCerts"));
        Ports.check(grpcPort);
        Ports.check(adminPort);
        if (tlsRootCerts.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS root certificate is required");
        }
    }

    /** {@code host:grpcPort}. */
    public String grpcAddress() {
        return host + ":" + grpcPort;
    }

    /** This endpoint presenting another (or, with {@code null}, no) admin TLS client certificate. */
    public OrdererEndpoint withAdminTlsClient(CertifiedKey client) {
        return new OrdererEndpoint(host, grpcPort, adminPort, tlsRootCerts, client);
    }

    /** A TLS context that trusts {@link #tlsRootCerts()} and presents {@link #adminTlsClient()} (when set). */
    public javax.net.ssl.SSLContext adminSslContext() {
        return Tls.sslContext(tlsRootCerts, adminTlsClient);
    }
}
