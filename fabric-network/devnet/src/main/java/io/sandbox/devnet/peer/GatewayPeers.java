package io.sandbox.devnet.peer;

import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sandbox.devnet.orderer.TlsContexts;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's registry of endorsing peers (Fabric's gateway learns them from discovery; the devnet is told):
 * per MSP id, the endpoints of that org's peers and the CAs their TLS certificates chain to. Connections are
 * opened lazily and kept. Thread-safe.
 */
public final class GatewayPeers implements AutoCloseable {

    /** One remote peer. */
    public record Endpoint(String mspId, String address, List<X509Certificate> tlsRoots) {
        public Endpoint {
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(address, "address");
            tlsRoots = List.copyOf(tlsRoots);
        }
    }

    private final Map<String, List<Endpoint>> byOrg = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** Registers a peer of {@code mspId} at {@code host:port}. */
    public synchronized GatewayPeers add(String mspId, String address, List<X509Certificate> tlsRoots) {
        byOrg.computeIfAbsent(mspId, k -> new ArrayList<>()).add(new Endpoint(mspId, address, tlsRoots));
        return this;
    }

    /** Registers a peer of this JVM. */
    public GatewayPeers add(PeerNode peer, List<X509Certificate> tlsRoots) {
        return add(peer.config().mspId(), peer.endpoint(), tlsRoots);
    }

    /** The registered orgs, in registration order. */
    public synchronized List<String> orgs() {
        return List.copyOf(byOrg.keySet());
    }

    /** The registered peers of an org. */
    public synchronized List<Endpoint> endpoints(String mspId) {
        return List.copyOf(byOrg.getOrDefault(mspId, List.of()));
    }

    /** A (cached) TLS channel to a peer. */
    ManagedChannel channel(Endpoint endpoint) {
        return channels.computeIfAbsent(endpoint.address(), address -> {
            try {
                var credentials = TlsChannelCredentials.newBuilder()
                        .trustManager(TlsContexts.trustManagers(endpoint.tlsRoots()).getTrustManagers()).build();
                return NettyChannelBuilder.forTarget(address, credentials)
                        .maxInboundMessageSize(PeerNode.MAX_MESSAGE_SIZE).build();
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("unusable TLS roots for " + address, e);
            }
        });
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
