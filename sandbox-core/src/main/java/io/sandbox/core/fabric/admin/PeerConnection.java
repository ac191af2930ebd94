package io.sandbox.core.fabric.admin;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/** A TLS gRPC connection to one peer, for its {@code Endorser} service and, through {@link #channel()}, others. */
final class PeerConnection implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final PeerEndpoint endpoint;
    private final ManagedChannel channel;

    PeerConnection(PeerEndpoint endpoint) {
        this.endpoint = endpoint;
        this.channel = Tls.channel(endpoint.host(), endpoint.port(), endpoint.tlsRootCerts(), null);
    }

    PeerEndpoint endpoint() {
        return endpoint;
    }

    ManagedChannel channel() {
        return channel;
    }

    /** Sends the proposal; a response with status other than 200 raises {@link ProposalException}. */
    ProposalResponse process(SignedProposal proposal, String function) {
        ProposalResponse response;
        try {
            response = EndorserGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .processProposal(proposal);
        } catch (StatusRuntimeException e) {
            throw new ProposalException(endpoint.address(), function, 0,
                    e.getStatus().getCode() + ": " + e.getStatus().getDescription(), e);
        }
        if (response.getResponse().getStatus() != 200) {
            throw new ProposalException(endpoint.address(), function, response.getResponse().getStatus(),
                    response.getResponse().getMessage(), null);
        }
        return response;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
