package io.sandbox.devnet.peer;

import io.sandbox.core.fabric.identity.FabricIdentity;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start a {@link PeerNode}.
 *
 * @param host            address the gRPC server binds to
 * @param port            gRPC port (TLS); 0 picks a free one
 * @param dataDir         the peer's ledgers (one block store per joined channel); a restart on it rejoins them
 * @param identity        the peer's identity: MSP id, signing certificate and key (signs Deliver requests to the
 *                        orderer and endorsements), TLS server certificate and key
 * @param localMspRoots   the local MSP's root CAs (its {@code cacerts}): identities of the local MSP chain to one
 * @param localMspAdmins  explicit admin certificates of the local MSP ({@code admincerts}); besides these, a
 *                        local MSP identity whose certificate carries the NodeOU {@code admin} is an admin
 * @param ordererEndpoint {@code host:port} of the orderer's gRPC service
 * @param ordererTlsRoots CAs the orderer's TLS certificate chains to
 * @param timeWindow      Deliver's tolerated clock skew of a request's timestamp (Fabric's
 *                        {@code peer.authentication.timewindow}, default 15m)
 */
public record PeerConfig(
        String host,
        int port,
        Path dataDir,
        FabricIdentity identity,
        List<X509Certificate> localMspRoots,
        List<X509Certificate> localMspAdmins,
        String ordererEndpoint,
        List<X509Certificate> ordererTlsRoots,
        Duration timeWindow) {

    /** Fabric's default {@code peer.authentication.timewindow}. */
    public static final Duration DEFAULT_TIME_WINDOW = Duration.ofMinutes(15);

    public PeerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(ordererEndpoint, "ordererEndpoint");
        localMspRoots = List.copyOf(localMspRoots);
        localMspAdmins = List.copyOf(localMspAdmins == null ? List.of() : localMspAdmins);
        ordererTlsRoots = List.copyOf(ordererTlsRoots);
        timeWindow = timeWindow == null ? DEFAULT_TIME_WINDOW : timeWindow;
        if (localMspRoots.isEmpty()) {
            throw new IllegalArgumentException("the local MSP needs at least one root CA");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
    }

    /** The peer's MSP id. */
    public String mspId() {
        return identity.mspId();
    }

    /** A peer on {@code 127.0.0.1} with an ephemeral port. */
    public static PeerConfig of(Path dataDir, FabricIdentity identity, List<X509Certificate> localMspRoots,
            String ordererEndpoint, List<X509Certificate> ordererTlsRoots) {
        return new PeerConfig("127.0.0.1", 0, dataDir, identity, localMspRoots, List.of(), ordererEndpoint,
                ordererTlsRoots, DEFAULT_TIME_WINDOW);
    }

    /** This config on another port (to restart where a previous run listened). */
    public PeerConfig withPort(int newPort) {
        return new PeerConfig(host, newPort, dataDir, identity, localMspRoots, localMspAdmins, ordererEndpoint,
                ordererTlsRoots, timeWindow);
    }
}
