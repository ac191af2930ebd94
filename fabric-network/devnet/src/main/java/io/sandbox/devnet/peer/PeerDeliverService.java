package io.sandbox.devnet.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.devnet.ledger.LedgerException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredChaincodeAction;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.FilteredTransactionActions;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * {@code protos.Deliver} of a peer ({@code core/peer/deliverevents.go} over {@code common/deliver/deliver.go}):
 * the orderer's SeekInfo semantics over the peer's committed blocks, access by the channel ACL
 * {@code event/Block} (full blocks, with their TRANSACTIONS_FILTER) or {@code event/FilteredBlock} (filtered
 * blocks), re-checked before every block. {@code DeliverWithPrivateData} is not offered: answered
 * {@code BAD_REQUEST}.
 */
final class PeerDeliverService extends DeliverGrpc.DeliverImplBase {

    private static final Logger LOG = Logger.getLogger(PeerDeliverService.class.getName());
    private static final Duration WAIT_SLICE = Duration.ofMillis(200);

    private final PeerNode peer;
    private final ExecutorService pool;

    PeerDeliverService(PeerNode peer, ExecutorService pool) {
        this.peer = peer;
        this.pool = pool;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
        return serve(responses, "event/Block", block -> DeliverResponse.newBuilder().setBlock(block).build());
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> responses) {
        return serve(responses, "event/FilteredBlock",
                block -> DeliverResponse.newBuilder().setFilteredBlock(filtered(block)).build());
    }

    @Override
    public StreamObserver<Envelope> deliverWithPrivateData(StreamObserver<DeliverResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope value) {
                responses.onNext(DeliverResponse.newBuilder().setStatus(Status.BAD_REQUEST).build());
                responses.onCompleted();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    private StreamObserver<Envelope> serve(StreamObserver<DeliverResponse> responses, String resource,
            Function<Block, DeliverResponse> shape) {
        ServerCallStreamObserver<DeliverResponse> call = (ServerCallStreamObserver<DeliverResponse>) responses;
        Object readiness = new Object();
        Runnable wake = () -> {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        };
        call.setOnReadyHandler(wake);
        call.setOnCancelHandler(wake);
        return new StreamObserver<>() {
            private java.util.concurrent.CompletableFuture<Boolean> tail =
                    java.util.concurrent.CompletableFuture.completedFuture(true);

            @Override
            public synchronized void onNext(Envelope envelope) {
                tail = tail.thenApplyAsync(open -> {
                    if (!open || call.isCancelled()) {
                        return false;
                    }
                    Status status;
                    try {
                        status = deliverBlocks(call, readiness, envelope, resource, shape);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "deliver failed", e);
                        status = Status.INTERNAL_SERVER_ERROR;
                    }
                    if (status == null || call.isCancelled()) {
                        return false;
                    }
                    call.onNext(DeliverResponse.newBuilder().setStatus(status).build());
                    return true;
                }, pool);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public synchronized void onCompleted() {
                tail = tail.thenApplyAsync(open -> {
                    if (!call.isCancelled()) {
                        call.onCompleted();
                    }
                    return false;
                }, pool);
            }
        };
    }

    private Status deliverBlocks(ServerCallStreamObserver<DeliverResponse> call, Object readiness, Envelope envelope,
            String resource, Function<Block, DeliverResponse> shape) throws InterruptedException {
        Payload payload;
        ChannelHeader chdr;
        SignatureHeader shdr;
        SeekInfo seekInfo;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                return Status.BAD_REQUEST;
            }
            chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            shdr = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return Status.BAD_REQUEST;
        }
        if (!chdr.hasTimestamp()) {
            return Status.BAD_REQUEST;
        }
        Instant envTime = Instant.ofEpochSecond(chdr.getTimestamp().getSeconds(), chdr.getTimestamp().getNanos());
        if (Duration.between(envTime, Instant.now()).abs().compareTo(peer.config().timeWindow()) > 0) {
            return Status.BAD_REQUEST;
        }
        PeerChannel channel = peer.channel(chdr.getChannelId());
        if (channel == null) {
            return Status.NOT_FOUND;
        }
        try {
            seekInfo = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            return Status.BAD_REQUEST;
        }
        if (!allowed(channel, resource, envelope, shdr)) {
            return Status.FORBIDDEN;
        }
        if (!seekInfo.hasStart() || !seekInfo.hasStop()) {
            return Status.BAD_REQUEST;
        }
        try {
            long height = channel.height();
            long number = switch (seekInfo.getStart().getTypeCase()) {
                case NEWEST -> height - 1;
                case SPECIFIED -> seekInfo.getStart().getSpecified().getNumber();
                default -> 0;
            };
            long stop;
            SeekPosition stopPosition = seekInfo.getStop();
            switch (stopPosition.getTypeCase()) {
                case NEWEST -> stop = seekInfo.getStart().equals(stopPosition) ? number : channel.height() - 1;
                case SPECIFIED -> {
                    stop = stopPosition.getSpecified().getNumber();
                    if (Long.compareUnsigned(stop, number) < 0) {
                        return Status.BAD_REQUEST;
                    }
                }
                default -> stop = number;
            }
            while (true) {
                if (seekInfo.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY
                        && Long.compareUnsigned(number, channel.height() - 1) > 0) {
                    return Status.NOT_FOUND;
                }
                while (channel.state().height() <= number) {
                    if (call.isCancelled()) {
                        return null;
                    }
                    channel.awaitHeight(number + 1, WAIT_SLICE);
                    if (channel.store().isClosed()) {
                        return Status.SERVICE_UNAVAILABLE;
                    }
                }
                Block block = channel.store().block(number);
                number++;
                if (!allowed(channel, resource, envelope, shdr)) {
                    return Status.FORBIDDEN;
                }
                synchronized (readiness) {
                    while (!call.isReady()) {
                        if (call.isCancelled()) {
                            return null;
                        }
                        readiness.wait(WAIT_SLICE.toMillis());
                    }
                }
                call.onNext(shape.apply(block));
                if (block.getHeader().getNumber() == stop) {
                    return Status.SUCCESS;
                }
            }
        } catch (LedgerException e) {
            return Status.SERVICE_UNAVAILABLE;
        }
    }

    private static boolean allowed(PeerChannel channel, String resource, Envelope envelope, SignatureHeader shdr) {
        var policies = channel.policies();
        PolicyResult result = policies.evaluate(policies.aclPolicy(resource),
                List.of(new SignedData(envelope.getPayload(), shdr.getCreator(), envelope.getSignature())));
        if (!result.satisfied()) {
            LOG.fine(() -> "[channel: " + channel.id() + "] deliver refused: " + result.explanation());
        }
        return result.satisfied();
    }

    /** A filtered block as {@code deliverevents.go} builds it: per tx its id, type, code and events sans payload. */
    static FilteredBlock filtered(Block block) {
        FilteredBlock.Builder out = FilteredBlock.newBuilder().setNumber(block.getHeader().getNumber());
        var md = block.getMetadata();
        int fi = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
        byte[] filter = md.getMetadataCount() > fi ? md.getMetadata(fi).toByteArray() : new byte[0];
        String channelId = "";
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                ChannelHeader chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                channelId = chdr.getChannelId();
                TxValidationCode code = i < filter.length ? TxValidationCode.forNumber(filter[i] & 0xff)
                        : TxValidationCode.VALID;
                FilteredTransaction.Builder tx = FilteredTransaction.newBuilder().setTxid(chdr.getTxId())
                        .setTypeValue(chdr.getType())
                        .setTxValidationCode(code == null ? TxValidationCode.INVALID_OTHER_REASON : code);
                if (chdr.getType() == HeaderType.ENDORSER_TRANSACTION_VALUE) {
                    tx.setTransactionActions(actions(payload));
                }
                out.addFilteredTransactions(tx);
            } catch (InvalidProtocolBufferException e) {
                LOG.fine(() -> "filtered block: skipping malformed transaction " + block.getHeader().getNumber());
            }
        }
        return out.setChannelId(channelId).build();
    }

    private static FilteredTransactionActions actions(Payload payload) {
        FilteredTransactionActions.Builder actions = FilteredTransactionActions.newBuilder();
        try {
            Transaction tx = Transaction.parseFrom(payload.getData());
            for (TransactionAction action : tx.getActionsList()) {
                ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(action.getPayload());
                if (!cap.hasAction()) {
                    continue;
                }
                ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(cap.getAction().getProposalResponsePayload());
                ChaincodeAction ca = ChaincodeAction.parseFrom(prp.getExtension());
                ChaincodeEvent event = ChaincodeEvent.parseFrom(ca.getEvents());
                if (!event.getChaincodeId().isEmpty()) {
                    actions.addChaincodeActions(FilteredChaincodeAction.newBuilder().setChaincodeEvent(
                            ChaincodeEvent.newBuilder().setTxId(event.getTxId())
                                    .setChaincodeId(event.getChaincodeId()).setEventName(event.getEventName())));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            // an unparsable transaction (an invalid one) has no actions to show
        }
        return actions.build();
    }
}
