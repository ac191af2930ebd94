package io.sandbox.devnet.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.devnet.deliver.BlockSource;
import io.sandbox.devnet.deliver.DeliverHandler;
import io.sandbox.devnet.deliver.StoredBlockMarshaller;
import io.sandbox.devnet.ledger.LedgerException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
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
final class PeerDeliverService implements DeliverGrpc.AsyncService, BindableService {

    private static final Logger LOG = Logger.getLogger(PeerDeliverService.class.getName());

    /** Deliver with its responses marshalled by {@link StoredBlockMarshaller}: full blocks go out as stored. */
    private static final MethodDescriptor<Envelope, Object> DELIVER_STORED = DeliverGrpc.getDeliverMethod().toBuilder(
            ProtoUtils.marshaller(Envelope.getDefaultInstance()),
            new StoredBlockMarshaller<>(DeliverResponse.getDefaultInstance())).build();

    private final PeerNode peer;
    private final DeliverHandler<Object> blocks;
    private final DeliverHandler<DeliverResponse> filteredBlocks;

    PeerDeliverService(PeerNode peer, ExecutorService pool) {
        this.peer = peer;
        this.blocks = DeliverHandler.ofStoredBytes(pool, () -> peer.config().timeWindow(),
                channelId -> target(channelId, "event/Block"), StoredBlockMarshaller.StoredBlock::new,
                status -> DeliverResponse.newBuilder().setStatus(status).build(), false);
        this.filteredBlocks = new DeliverHandler<>(pool, () -> peer.config().timeWindow(),
                channelId -> target(channelId, "event/FilteredBlock"),
                block -> DeliverResponse.newBuilder().setFilteredBlock(filtered(block)).build(),
                status -> DeliverResponse.newBuilder().setStatus(status).build(), false);
    }

    /** The generated service, its Deliver method replaced by {@link #DELIVER_STORED}. */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = DeliverGrpc.bindService(this);
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(DeliverGrpc.SERVICE_NAME);
        for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
            if (!method.getMethodDescriptor().getFullMethodName().equals(DELIVER_STORED.getFullMethodName())) {
                service.addMethod(method);
            }
        }
        return service.addMethod(DELIVER_STORED, ServerCalls.asyncBidiStreamingCall(blocks::open)).build();
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> responses) {
        return filteredBlocks.open(responses);
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

    /**
     * A Deliver request's channel: the stored blocks, served once committed (state included); access by the
     * channel ACL {@code resource}.
     */
    private DeliverHandler.Target target(String channelId, String resource) {
        PeerChannel channel = peer.channel(channelId);
        if (channel == null) {
            return null;
        }
        BlockSource source = new BlockSource() {
            @Override
            public long height() {
                return channel.height();
            }

            @Override
            public long servableHeight() {
                return channel.state().height();
            }

            @Override
            public Block block(long number) {
                return channel.store().block(number);
            }

            @Override
            public byte[] blockBytes(long number) {
                return channel.store().blockBytes(number);
            }

            @Override
            public void awaitHeight(long minHeight, Duration timeout) throws InterruptedException {
                channel.awaitHeight(minHeight, timeout);
                if (channel.store().isClosed()) {
                    throw new LedgerException("channel " + channelId + " is closed");
                }
            }
        };
        return new DeliverHandler.Target(source, (envelope, shdr) -> allowed(channel, resource, envelope, shdr),
                channel::policies);
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
