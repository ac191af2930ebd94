package io.sandbox.core.fabric.admin;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessResult;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;

/** {@link ChaincodeLifecycle} over gRPC: the own peer's {@code Endorser}, the orderer's {@code Broadcast}. */
final class GrpcChaincodeLifecycle implements ChaincodeLifecycle {

    static final String LIFECYCLE = "_lifecycle";
    private static final Duration BROADCAST_TIMEOUT = Duration.ofSeconds(60);
    private static final long FIRST_POLL_MILLIS = 50;
    private static final long MAX_POLL_MILLIS = 2_000;

    private final AdminIdentity admin;
    private final PeerConnection ownPeer;
    private final ManagedChannel orderer;
    private final Duration commitTimeout;

    GrpcChaincodeLifecycle(AdminIdentity admin, PeerEndpoint ownPeer, OrdererEndpoint orderer, Duration commitTimeout) {
        this.admin = admin;
        this.ownPeer = new PeerConnection(ownPeer);
        this.orderer = Tls.channel(orderer.host(), orderer.grpcPort(), orderer.tlsRootCerts(), orderer.adminTlsClient());
        this.commitTimeout = commitTimeout;
    }

    @Override
    public String approveForMyOrg(String channelId, ChaincodeDefinition definition, String packageId) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(definition, "definition");
        ChaincodeSource source = packageId == null
                ? ChaincodeSource.newBuilder().setUnavailable(ChaincodeSource.Unavailable.getDefaultInstance()).build()
                : ChaincodeSource.newBuilder().setLocalPackage(ChaincodeSource.Local.newBuilder().setPackageId(packageId))
                        .build();
        ApproveChaincodeDefinitionForMyOrgArgs.Builder args = ApproveChaincodeDefinitionForMyOrgArgs.newBuilder()
                .setName(definition.name()).setVersion(definition.version()).setSequence(definition.sequence())
                .setValidationParameter(validationParameter(definition)).setInitRequired(definition.initRequired())
                .setSource(source);
        if (definition.collections() != null) {
            args.setCollections(definition.collections());
        }
        return submit(channelId, "ApproveChaincodeDefinitionForMyOrg", args.build().toByteString(), List.of());
    }

    @Override
    public Map<String, Boolean> checkCommitReadiness(String channelId, ChaincodeDefinition definition) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(definition, "definition");
        CheckCommitReadinessArgs.Builder args = CheckCommitReadinessArgs.newBuilder()
                .setName(definition.name()).setVersion(definition.version()).setSequence(definition.sequence())
                .setValidationParameter(validationParameter(definition)).setInitRequired(definition.initRequired());
        if (definition.collections() != null) {
            args.setCollections(definition.collections());
        }
        ProposalResponse response = evaluate(channelId, "CheckCommitReadiness", args.build().toByteString());
        return Map.copyOf(GrpcPeerAdmin.parse(CheckCommitReadinessResult.parser(), response, "CheckCommitReadiness")
                .getApprovalsMap());
    }

    @Override
    public String commit(String channelId, ChaincodeDefinition definition, List<PeerEndpoint> endorsingPeers) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(endorsingPeers, "endorsingPeers");
        if (endorsingPeers.isEmpty()) {
            throw new IllegalArgumentException("at least one endorsing peer is required");
        }
        CommitChaincodeDefinitionArgs.Builder args = CommitChaincodeDefinitionArgs.newBuilder()
                .setName(definition.name()).setVersion(definition.version()).setSequence(definition.sequence())
                .setValidationParameter(validationParameter(definition)).setInitRequired(definition.initRequired());
        if (definition.collections() != null) {
            args.setCollections(definition.collections());
        }
        return submit(channelId, "CommitChaincodeDefinition", args.build().toByteString(), endorsingPeers);
    }

    @Override
    public CommittedChaincode queryCommitted(String channelId, String name) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(name, "name");
        ProposalResponse response = evaluate(channelId, "QueryChaincodeDefinition",
                QueryChaincodeDefinitionArgs.newBuilder().setName(name).build().toByteString());
        QueryChaincodeDefinitionResult result = GrpcPeerAdmin.parse(QueryChaincodeDefinitionResult.parser(), response,
                "QueryChaincodeDefinition");
        return new CommittedChaincode(name, result.getVersion(), result.getSequence(), result.getInitRequired(),
                result.getApprovalsMap());
    }

    private static ByteString validationParameter(ChaincodeDefinition definition) {
        ApplicationPolicy policy = definition.endorsementPolicy();
        return policy == null ? ByteString.EMPTY : policy.toByteString();
    }

    private ProposalResponse evaluate(String channelId, String function, ByteString args) {
        var built = Proposals.proposal(admin, channelId, LIFECYCLE, List.of(ByteString.copyFromUtf8(function), args));
        return ownPeer.process(built.signed(), function);
    }

    /** Endorses (own peer when {@code peers} is empty), orders and awaits the commit; returns the tx id. */
    private String submit(String channelId, String function, ByteString args, List<PeerEndpoint> peers) {
        var built = Proposals.proposal(admin, channelId, LIFECYCLE, List.of(ByteString.copyFromUtf8(function), args));
        List<ProposalResponse> responses = new ArrayList<>();
        if (peers.isEmpty()) {
            responses.add(ownPeer.process(built.signed(), function));
        } else {
            for (PeerEndpoint peer : peers) {
                if (peer.equals(ownPeer.endpoint())) {
                    responses.add(ownPeer.process(built.signed(), function));
                } else {
                    try (PeerConnection other = new PeerConnection(peer)) {
                        responses.add(other.process(built.signed(), function));
                    }
                }
            }
        }
        Envelope envelope;
        try {
            envelope = Proposals.transaction(admin, built.proposal(), responses);
        } catch (IllegalArgumentException e) {
            throw new ProposalException(ownPeer.endpoint().address(), function, 0,
                    "could not assemble transaction: " + e.getMessage(), e);
        }
        broadcast(built.txId(), envelope);
        awaitCommit(channelId, built.txId());
        return built.txId();
    }

    private void broadcast(String txId, Envelope envelope) {
        Broadcaster.submit(orderer, envelope, BROADCAST_TIMEOUT, txId);
    }

    /**
     * Waits for the transaction's commit on the own peer as fabric-gateway does: the peer's {@code Gateway.CommitStatus}
     * answers once the block holding it is committed. Peers without the Gateway service are polled with {@code qscc}.
     */
    private void awaitCommit(String channelId, String txId) {
        long deadline = System.nanoTime() + commitTimeout.toNanos();
        long pause = FIRST_POLL_MILLIS;
        String last = "no answer";
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw notCommitted(txId, last);
            }
            try {
                CommitStatusResponse status = GatewayGrpc.newBlockingStub(ownPeer.channel())
                        .withDeadlineAfter(remaining, TimeUnit.NANOSECONDS)
                        .commitStatus(commitStatusRequest(channelId, txId));
                if (status.getResult() == TxValidationCode.VALID) {
                    return;
                }
                throw new TransactionException(txId, status.getResult(), null);
            } catch (StatusRuntimeException e) {
                switch (e.getStatus().getCode()) {
                    case DEADLINE_EXCEEDED -> throw notCommitted(txId, "none before the deadline");
                    case UNIMPLEMENTED -> {
                        pollCommit(channelId, txId, deadline);
                        return;
                    }
                    default -> last = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
                }
            }
            pause = pauseBefore(deadline, pause, txId, last); // the peer refused or was unreachable: ask again
        }
    }

    private SignedCommitStatusRequest commitStatusRequest(String channelId, String txId) {
        ByteString request = CommitStatusRequest.newBuilder().setChannelId(channelId).setTransactionId(txId)
                .setIdentity(Proposals.creator(admin)).build().toByteString();
        return SignedCommitStatusRequest.newBuilder().setRequest(request)
                .setSignature(Proposals.sign(admin, request.toByteArray())).build();
    }

    /** Polls {@code qscc GetTransactionByID} on the own peer, backing off, until the transaction is committed. */
    private void pollCommit(String channelId, String txId, long deadline) {
        long pause = FIRST_POLL_MILLIS;
        String last = "not found";
        while (true) {
            var built = Proposals.proposal(admin, channelId, "qscc", List.of(ByteString.copyFromUtf8(
                    "GetTransactionByID"), ByteString.copyFromUtf8(channelId), ByteString.copyFromUtf8(txId)));
            try {
                ProposalResponse response = ownPeer.process(built.signed(), "GetTransactionByID");
                ProcessedTransaction processed = GrpcPeerAdmin.parse(ProcessedTransaction.parser(), response,
                        "GetTransactionByID");
                TxValidationCode code = TxValidationCode.forNumber(processed.getValidationCode());
                if (code == TxValidationCode.VALID) {
                    return;
                }
                throw new TransactionException(txId, code == null ? TxValidationCode.UNRECOGNIZED : code, null);
            } catch (ProposalException notYet) {
                last = notYet.peerMessage(); // "Entry not found in index" until the block is committed
            }
            pause = pauseBefore(deadline, pause, txId, last);
        }
    }

    /** Sleeps {@code pause} ms and returns the next pause; fails when the deadline would pass first. */
    private long pauseBefore(long deadline, long pause, String txId, String last) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
            throw notCommitted(txId, last);
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionException(txId, null, "commit wait interrupted");
        }
        return Math.min(pause * 2, MAX_POLL_MILLIS);
    }

    private TransactionException notCommitted(String txId, String last) {
        return new TransactionException(txId, null, "was not committed on " + ownPeer.endpoint().address()
                + " within " + commitTimeout + " (last answer: " + last + ")");
    }

    @Override
    public void close() {
        ownPeer.close();
        orderer.shutdownNow();
        try {
            orderer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
