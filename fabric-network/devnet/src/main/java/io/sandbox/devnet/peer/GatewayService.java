package io.sandbox.devnet.peer;

import io.sandbox.core.fabric.admin.Broadcaster;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.devnet.peer.endorsement.Endorsements;
import io.sandbox.devnet.peer.state.NsRwSet;
import io.sandbox.devnet.peer.state.TxRecord;
import io.sandbox.devnet.peer.state.TxRwSets;
import io.sandbox.devnet.peer.validation.EndorsementPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * {@code gateway.Gateway} of Fabric 2.5 ({@code internal/pkg/gateway}): Evaluate, Endorse, Submit, CommitStatus
 * and ChaincodeEvents, with the gateway's gRPC status codes, messages and {@link ErrorDetail}s. Endorsement
 * starts on this peer; further orgs' peers come from {@link GatewayPeers} (in registration order) until the
 * chaincode's endorsement policy is satisfied, or exactly the request's {@code endorsing_organizations}.
 * No discovery, retries on other peers of a group, or BFT submission.
 */
final class GatewayService extends GatewayGrpc.GatewayImplBase {

    private static final Logger LOG = Logger.getLogger(GatewayService.class.getName());
    private static final Duration ENDORSEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BROADCAST_TIMEOUT = Duration.ofSeconds(30);

    private final PeerNode peer;
    private final EndorserService endorser;

    GatewayService(PeerNode peer, EndorserService endorser) {
        this.peer = peer;
        this.endorser = endorser;
    }

    // ------------------------------------------------------------------------------------------ Evaluate

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> responses) {
        try {
            if (!request.hasProposedTransaction()) {
                throw Status.INVALID_ARGUMENT.withDescription("an evaluate request is required").asRuntimeException();
            }
            Target target = target(request.getProposedTransaction(), "failed to unpack transaction proposal: ");
            String mspId = peer.config().mspId();
            ProposalResponse pr;
            String address;
            String targetMsp = mspId;
            if (request.getTargetOrganizationsCount() > 0 && !request.getTargetOrganizationsList().contains(mspId)) {
                targetMsp = request.getTargetOrganizations(0);
                List<GatewayPeers.Endpoint> endpoints = peer.gatewayPeers().endpoints(targetMsp);
                if (endpoints.isEmpty()) {
                    throw Status.FAILED_PRECONDITION.withDescription("no peers available to evaluate chaincode "
                            + target.chaincode + " in channel " + target.channel).asRuntimeException();
                }
                address = endpoints.get(0).address();
                Remote remote = remote(endpoints.get(0), request.getProposedTransaction());
                if (remote.error != null) {
                    throw rpcError(Status.Code.UNAVAILABLE, "evaluate call to endorser returned error: "
                            + remote.error, detail(address, targetMsp, remote.error));
                }
                pr = remote.response;
            } else {
                address = peer.endpoint();
                pr = endorser.processLocally(request.getProposedTransaction());
            }
            Outcome outcome = outcome(pr);
            if (outcome.code != Status.Code.OK) {
                throw rpcError(outcome.code, "evaluate call to endorser returned error: " + outcome.message,
                        detail(address, targetMsp, outcome.message));
            }
            Response response = pr.getResponse();
            Optional<ByteString> result = resultOf(pr.getPayload());
            if (result.isPresent()) {
                response = response.toBuilder().setPayload(result.get()).build();
            }
            responses.onNext(EvaluateResponse.newBuilder().setResult(response).build());
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "evaluate failed", e);
            responses.onError(Status.UNKNOWN.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    // ------------------------------------------------------------------------------------------ Endorse

    @Override
    public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> responses) {
        try {
            if (!request.hasProposedTransaction()) {
                throw Status.INVALID_ARGUMENT.withDescription("the proposed transaction must contain a signed proposal")
                        .asRuntimeException();
            }
            SignedProposal signed = request.getProposedTransaction();
            Target target = target(signed, "");
            PeerChannel channel = peer.channel(target.channel);
            if (channel == null) {
                throw Status.UNAVAILABLE.withDescription("channel '" + target.channel + "' not found")
                        .asRuntimeException();
            }
            String mspId = peer.config().mspId();
            List<ErrorDetail> details = new ArrayList<>();
            List<Endorsement> endorsements = new ArrayList<>();
            ByteString payload = null;

            List<String> orgs = new ArrayList<>();
            boolean explicit = request.getEndorsingOrganizationsCount() > 0;
            if (explicit) {
                orgs.addAll(new LinkedHashSet<>(request.getEndorsingOrganizationsList()));
            } else {
                orgs.add(mspId);
                for (String org : peer.gatewayPeers().orgs()) {
                    if (!orgs.contains(org)) {
                        orgs.add(org);
                    }
                }
            }
            boolean satisfied = false;
            boolean first = true;
            for (String org : orgs) {
                ProposalResponse pr;
                String address;
                if (org.equals(mspId)) {
                    address = peer.endpoint();
                    pr = endorser.processLocally(signed);
                } else {
                    List<GatewayPeers.Endpoint> endpoints = peer.gatewayPeers().endpoints(org);
                    if (endpoints.isEmpty()) {
                        details.add(detail("", org, "no peers available for organization " + org));
                        continue;
                    }
                    address = endpoints.get(0).address();
                    Remote remote = remote(endpoints.get(0), signed);
                    if (remote.error != null) {
                        details.add(detail(address, org, remote.error));
                        continue;
                    }
                    pr = remote.response;
                }
                Outcome outcome = outcome(pr);
                if (outcome.code != Status.Code.OK) {
                    details.add(detail(address, org, outcome.message));
                    if (first) {
                        // the first endorsement (the gateway's own) failed: Fabric's planFromFirstEndorser
                        throw rpcError(Status.Code.ABORTED, "failed to endorse transaction, see attached details "
                                + "for more info", details);
                    }
                    continue;
                }
                first = false;
                if (payload == null) {
                    payload = pr.getPayload();
                } else if (!payload.equals(pr.getPayload())) {
                    details.add(detail(address, org, "ProposalResponsePayloads do not match (base64): '"
                            + java.util.Base64.getEncoder().encodeToString(payload.toByteArray()) + "' vs '"
                            + java.util.Base64.getEncoder().encodeToString(pr.getPayload().toByteArray()) + "'"));
                    continue;
                }
                endorsements.add(pr.getEndorsement());
                if (!explicit && (satisfied = satisfied(channel, target, payload, endorsements))) {
                    break;
                }
            }
            if (explicit) {
                satisfied = endorsements.size() == orgs.size();
            }
            if (!satisfied || payload == null) {
                throw rpcError(Status.Code.ABORTED, "failed to collect enough transaction endorsements, see "
                        + "attached details for more info", details);
            }
            Envelope prepared;
            try {
                prepared = Endorsements.preparedTransaction(Proposal.parseFrom(signed.getProposalBytes()), payload,
                        endorsements);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw Status.ABORTED.withDescription("failed to assemble transaction: " + e.getMessage())
                        .asRuntimeException();
            }
            responses.onNext(EndorseResponse.newBuilder().setPreparedTransaction(prepared).build());
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "endorse failed", e);
            responses.onError(Status.UNKNOWN.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    /** Whether the collected endorsements satisfy the policies of every namespace the transaction writes. */
    private boolean satisfied(PeerChannel channel, Target target, ByteString prpBytes, List<Endorsement> endorsements) {
        List<NsRwSet> rwSets;
        try {
            ChaincodeAction action = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(prpBytes).getExtension());
            rwSets = TxRwSets.parse(action.getResults());
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
        Set<String> written = new LinkedHashSet<>();
        written.add(target.chaincode);
        for (NsRwSet ns : rwSets) {
            if (ns.writes()) {
                written.add(ns.namespace());
            }
        }
        // Like Fabric's gateway, the plan counts endorsers; their signatures are the committing peers' to verify.
        List<ByteString> endorsers = new ArrayList<>();
        for (Endorsement e : endorsements) {
            endorsers.add(e.getEndorser());
        }
        for (String ns : written) {
            if ("_lifecycle".equals(ns) && approvalsOnly(rwSets)) {
                continue; // an org's approval needs its own peer only (the gateway's own endorsement)
            }
            Optional<EndorsementPolicy> policy = peer.policiesOf(channel.id()).forNamespace(ns);
            if (policy.isEmpty()) {
                return false;
            }
            PolicyResult result = policy.get().evaluateEndorsers(channel.policies(), endorsers);
            if (!result.satisfied()) {
                return false;
            }
        }
        return true;
    }

    private static boolean approvalsOnly(List<NsRwSet> rwSets) {
        for (NsRwSet ns : rwSets) {
            if (ns.namespace().equals("_lifecycle")) {
                if (ns.kvRwSet().getMetadataWritesCount() > 0) {
                    return false;
                }
                for (var w : ns.kvRwSet().getWritesList()) {
                    if (!w.getKey().startsWith("approvals/")) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ Submit

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> responses) {
        try {
            if (!request.hasPreparedTransaction()) {
                throw Status.INVALID_ARGUMENT.withDescription("a prepared transaction is required").asRuntimeException();
            }
            if (request.getPreparedTransaction().getSignature().isEmpty()) {
                throw Status.INVALID_ARGUMENT.withDescription("prepared transaction must be signed").asRuntimeException();
            }
            BroadcastResponse response;
            try {
                response = Broadcaster.sendOne(peer.ordererChannel(), request.getPreparedTransaction(), BROADCAST_TIMEOUT);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw rpcError(Status.Code.UNAVAILABLE, "no orderers could successfully process transaction",
                        List.of(detail(peer.config().ordererEndpoint(), "", String.valueOf(cause.getMessage()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.asRuntimeException();
            }
            if (response.getStatus() != org.hyperledger.fabric.protos.common.Status.SUCCESS) {
                throw rpcError(Status.Code.ABORTED, "received unsuccessful response from orderer: status="
                        + response.getStatus().name() + ", info=" + response.getInfo(), List.of());
            }
            responses.onNext(SubmitResponse.getDefaultInstance());
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "submit failed", e);
            responses.onError(Status.UNKNOWN.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    // ------------------------------------------------------------------------------------------ CommitStatus

    @Override
    public void commitStatus(SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> responses) {
        try {
            CommitStatusRequest request;
            try {
                request = CommitStatusRequest.parseFrom(signed.getRequest());
            } catch (InvalidProtocolBufferException e) {
                throw Status.INVALID_ARGUMENT.withDescription("invalid status request: " + e.getMessage())
                        .asRuntimeException();
            }
            if (request.getIdentity().isEmpty()) {
                throw Status.INVALID_ARGUMENT.withDescription("no identity provided").asRuntimeException();
            }
            if (request.getChannelId().isEmpty()) {
                throw Status.INVALID_ARGUMENT.withDescription("no channel ID provided").asRuntimeException();
            }
            if (request.getTransactionId().isEmpty()) {
                throw Status.INVALID_ARGUMENT.withDescription("transaction ID should not be empty").asRuntimeException();
            }
            PeerChannel channel = readableChannel(request.getChannelId(), "gateway/CommitStatus",
                    new SignedData(signed.getRequest(), request.getIdentity(), signed.getSignature()));
            Context context = Context.current();
            while (true) {
                long height = channel.height();
                Optional<TxRecord> record = channel.state().transaction(request.getTransactionId());
                if (record.isPresent()) {
                    responses.onNext(CommitStatusResponse.newBuilder().setResult(record.get().validationCode())
                            .setBlockNumber(record.get().blockNum()).build());
                    responses.onCompleted();
                    return;
                }
                if (context.isCancelled()) {
                    throw Status.CANCELLED.withDescription("context canceled").asRuntimeException();
                }
                channel.awaitHeight(height + 1, Duration.ofMillis(250));
            }
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            responses.onError(Status.CANCELLED.asRuntimeException());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "commit status failed", e);
            responses.onError(Status.ABORTED.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    // ------------------------------------------------------------------------------------------ ChaincodeEvents

    @Override
    public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> responses) {
        ServerCallStreamObserver<ChaincodeEventsResponse> stream =
                (ServerCallStreamObserver<ChaincodeEventsResponse>) responses;
        try {
            ChaincodeEventsRequest request;
            try {
                request = ChaincodeEventsRequest.parseFrom(signed.getRequest());
            } catch (InvalidProtocolBufferException e) {
                throw Status.INVALID_ARGUMENT.withDescription("invalid chaincode events request: " + e.getMessage())
                        .asRuntimeException();
            }
            PeerChannel channel = readableChannel(request.getChannelId(), "gateway/ChaincodeEvents",
                    new SignedData(signed.getRequest(), request.getIdentity(), signed.getSignature()));
            long next = startBlock(channel, request);
            String after = request.getAfterTransactionId();
            boolean passed = after.isEmpty();
            while (!stream.isCancelled()) {
                if (next >= channel.height()) {
                    channel.awaitHeight(next + 1, Duration.ofMillis(250));
                    continue;
                }
                Block block = channel.store().block(next);
                List<ChaincodeEvent> matching = new ArrayList<>();
                for (ChaincodeEvent event : validEvents(block)) {
                    if (!passed) {
                        passed = event.getTxId().equals(after);
                        continue;
                    }
                    if (event.getChaincodeId().equals(request.getChaincodeId())) {
                        matching.add(event);
                    }
                }
                if (!matching.isEmpty()) {
                    stream.onNext(ChaincodeEventsResponse.newBuilder().setBlockNumber(next)
                            .addAllEvents(matching).build());
                }
                next++;
            }
        } catch (StatusRuntimeException e) {
            if (!stream.isCancelled()) {
                responses.onError(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stream.isCancelled()) {
                LOG.log(Level.WARNING, "chaincode events failed", e);
                responses.onError(Status.ABORTED.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
            }
        }
    }

    private static long startBlock(PeerChannel channel, ChaincodeEventsRequest request) {
        if (!request.getAfterTransactionId().isEmpty()) {
            Optional<TxRecord> record = channel.state().transaction(request.getAfterTransactionId());
            if (record.isPresent()) {
                return record.get().blockNum();
            }
        }
        SeekPosition position = request.getStartPosition();
        return switch (position.getTypeCase()) {
            case SPECIFIED -> position.getSpecified().getNumber();
            case NEXT_COMMIT, TYPE_NOT_SET -> channel.height();
            default -> throw Status.INVALID_ARGUMENT.withDescription("invalid start position type: "
                    + position.getTypeCase()).asRuntimeException();
        };
    }

    /** The chaincode events of a block's valid endorser transactions, in order. */
    static List<ChaincodeEvent> validEvents(Block block) {
        List<ChaincodeEvent> events = new ArrayList<>();
        ByteString filter = block.getMetadata().getMetadataCount() > BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
                ? block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) : ByteString.EMPTY;
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (i >= filter.size() || (filter.byteAt(i) & 0xff) != TxValidationCode.VALID_VALUE) {
                continue;
            }
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                ChannelHeader chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                if (chdr.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                    continue;
                }
                Transaction tx = Transaction.parseFrom(payload.getData());
                for (var action : tx.getActionsList()) {
                    ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(action.getPayload());
                    ChaincodeAction cca = ChaincodeAction.parseFrom(ProposalResponsePayload
                            .parseFrom(cap.getAction().getProposalResponsePayload()).getExtension());
                    if (!cca.getEvents().isEmpty()) {
                        ChaincodeEvent event = ChaincodeEvent.parseFrom(cca.getEvents());
                        if (!event.getChaincodeId().isEmpty()) {
                            events.add(event);
                        }
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                // not an endorser transaction we can read
            }
        }
        return events;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private PeerChannel readableChannel(String channelId, String resource, SignedData signedData) {
        PeerChannel channel = peer.channel(channelId);
        if (channel == null) {
            throw Status.NOT_FOUND.withDescription("channel '" + channelId + "' not found").asRuntimeException();
        }
        String policy;
        try {
            policy = channel.policies().aclPolicy(resource);
        } catch (RuntimeException e) {
            policy = null;
        }
        if (policy == null || policy.isEmpty()) {
            policy = "/Channel/Application/Readers"; // Fabric's default ACL of gateway/CommitStatus and ChaincodeEvents
        }
        PolicyResult result = channel.policies().evaluate(policy, List.of(signedData));
        if (!result.satisfied()) {
            throw Status.PERMISSION_DENIED.withDescription("failed evaluating policy on signed data during check "
                    + "policy [" + policy + "]: [" + result.explanation() + "]").asRuntimeException();
        }
        return channel;
    }

    private record Target(String channel, String chaincode) {}

    /** The gateway's {@code getChannelAndChaincodeFromSignedProposal}. */
    private static Target target(SignedProposal signed, String prefix) {
        try {
            if (signed.getProposalBytes().isEmpty()) {
                throw invalid(prefix + "a signed proposal is required");
            }
            Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
            Header header = Header.parseFrom(proposal.getHeader());
            ChannelHeader chdr = ChannelHeader.parseFrom(header.getChannelHeader());
            ChaincodeProposalPayload cpp = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.parseFrom(cpp.getInput());
            if (chdr.getChannelId().isEmpty()) {
                throw invalid(prefix + "no channel id provided");
            }
            if (!spec.hasChaincodeSpec()) {
                throw invalid(prefix + "no chaincode spec is provided, channel id [" + chdr.getChannelId() + "]");
            }
            if (!spec.getChaincodeSpec().hasChaincodeId()) {
                throw invalid(prefix + "no chaincode id is provided, channel id [" + chdr.getChannelId() + "]");
            }
            String name = spec.getChaincodeSpec().getChaincodeId().getName();
            if (name.isEmpty()) {
                throw invalid(prefix + "no chaincode name is provided, channel id [" + chdr.getChannelId() + "]");
            }
            ChaincodeHeaderExtension.parseFrom(chdr.getExtension());
            return new Target(chdr.getChannelId(), name);
        } catch (InvalidProtocolBufferException e) {
            throw invalid(prefix + e.getMessage());
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    private record Outcome(Status.Code code, String message) {}

    /** The gateway's {@code responseStatus} for a proposal response received without a transport error. */
    private static Outcome outcome(ProposalResponse response) {
        int status = response.getResponse().getStatus();
        if (status < 200 || status >= 400) {
            if (response.getPayload().isEmpty() && status == 500) {
                return new Outcome(Status.Code.ABORTED, response.getResponse().getMessage());
            }
            return new Outcome(Status.Code.UNKNOWN, "chaincode response " + status + ", "
                    + response.getResponse().getMessage());
        }
        return new Outcome(Status.Code.OK, "");
    }

    private record Remote(ProposalResponse response, String error) {}

    private Remote remote(GatewayPeers.Endpoint endpoint, SignedProposal signed) {
        try {
            return new Remote(EndorserGrpc.newBlockingStub(peer.gatewayPeers().channel(endpoint))
                    .withDeadlineAfter(ENDORSEMENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .processProposal(signed), null);
        } catch (StatusRuntimeException e) {
            return new Remote(null, e.getMessage());
        }
    }

    /** The transaction result: the chaincode response payload inside the proposal response payload. */
    private static Optional<ByteString> resultOf(ByteString prpBytes) {
        try {
            ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(prpBytes);
            ChaincodeAction action = ChaincodeAction.parseFrom(prp.getExtension());
            return action.hasResponse() ? Optional.of(action.getResponse().getPayload()) : Optional.empty();
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private static ErrorDetail detail(String address, String mspId, String message) {
        return ErrorDetail.newBuilder().setAddress(address).setMspId(mspId).setMessage(message).build();
    }

    private static StatusRuntimeException rpcError(Status.Code code, String message, ErrorDetail detail) {
        return rpcError(code, message, List.of(detail));
    }

    /** The gateway's {@code newRpcError}: a status with the error details attached. */
    static StatusRuntimeException rpcError(Status.Code code, String message, List<ErrorDetail> details) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.value())
                .setMessage(message);
        for (ErrorDetail d : details) {
            status.addDetails(Any.pack(d));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
