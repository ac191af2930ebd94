package io.sandbox.dashboard.evidence;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.dashboard.ingest.config.IngestionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Blocks from the regulator's peer through fabric-gateway's block event stream, started at the first block of the
 * range and closed after the last: gRPC flow control keeps only a few blocks in flight, whatever the range.
 */
@ApplicationScoped
class PeerBlockSource implements BlockSource {

    private final IngestionConfig config;
    private volatile NetworkProfile profile;

    PeerBlockSource(IngestionConfig config) {
        this.config = config;
    }

    @Override
    public boolean available() {
        return config.profile().isPresent() && config.masterKey().isPresent();
    }

    private NetworkProfile profile() {
        NetworkProfile p = profile;
        if (p == null) {
            synchronized (this) {
                if (profile == null) {
                    profile = NetworkProfile.read(config.profile().orElseThrow(),
                            KeyVault.fromBase64MasterSecret(config.masterKey().orElseThrow()));
                }
                p = profile;
            }
        }
        return p;
    }

    @Override
    public void blocks(String channel, long first, long last, Sink sink) throws IOException {
        NetworkProfile network = profile();
        ManagedChannel grpc = network.regulatorPeer().openChannel();
        try (Gateway gateway = Gateway.newInstance().identity(network.regulatorClientIdentity())
                .signer(network.regulatorClientSigner()).connection(grpc).connect();
                CloseableIterator<Block> events = gateway.getNetwork(channel).newBlockEventsRequest().startBlock(first)
                        .build().getEvents()) {
            long expected = first;
            while (expected <= last) {
                if (!events.hasNext()) {
                    throw new IOException("the peer ended the block stream of " + channel + " before block " + expected);
                }
                Block block = events.next();
                sink.accept(block);
                expected = block.getHeader().getNumber() + 1;
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot read blocks " + first + " to " + last + " of " + channel + " from the peer: "
                    + e.getMessage(), e);
        } finally {
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
