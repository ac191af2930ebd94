package io.sandbox.devnet.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.block.ChainAnchor;
import io.sandbox.core.fabric.block.ChainVerification;
import io.sandbox.core.fabric.block.ChainVerifier;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.devnet.ledger.BlockStore;
import io.sandbox.devnet.peer.state.WorldState;
import io.sandbox.devnet.peer.validation.BlockCommitter;
import io.sandbox.devnet.peer.validation.EndorsementPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One channel a peer has joined: its block store, world state and commit path. Blocks from the orderer are
 * verified ({@link #verify}) and committed through {@link BlockCommitter}; committed blocks are announced to
 * {@link #onCommit listeners} and to {@link #awaitHeight} waiters.
 */
public final class PeerChannel implements AutoCloseable {

    /** The policy an orderer's block signatures must satisfy ({@code mcs.VerifyBlock}). */
    public static final String BLOCK_VALIDATION = "/Channel/Orderer/BlockValidation";

    private final String id;
    private final BlockStore store;
    private final WorldState state;
    private final BlockCommitter committer;
    private final List<Consumer<BlockCommitter.Committed>> listeners = new CopyOnWriteArrayList<>();
    /** Guards the wait for a height (a lock, not a monitor: the waiters are virtual threads, see PeerNode). */
    private final ReentrantLock heightLock = new ReentrantLock();
    private final Condition heightReached = heightLock.newCondition();

    private PeerChannel(String id, BlockStore store, WorldState state, ChannelPolicies policies,
            EndorsementPolicies endorsementPolicies) {
        this.id = id;
        this.store = store;
        this.state = state;
        this.committer = new BlockCommitter(state, policies, endorsementPolicies, store::append);
    }

    /** Creates the channel's ledger from its genesis block (cscc JoinChain). */
    static PeerChannel create(String id, BlockStore store, Block genesis, EndorsementPolicies endorsementPolicies) {
        ChannelPolicies policies = ChannelPolicies.fromConfigBlock(genesis);
        PeerChannel channel = new PeerChannel(id, store, new WorldState(id), policies, endorsementPolicies);
        channel.committer.commit(genesis);
        return channel;
    }

    /** Reopens a stored ledger: the state is rebuilt from the blocks, the config is the last valid config block. */
    static PeerChannel open(String id, BlockStore store, EndorsementPolicies endorsementPolicies) {
        WorldState state = new WorldState(id);
        ChannelPolicies policies = null;
        for (long n = 0; n < store.height(); n++) {
            Block block = store.block(n);
            state.commit(block);
            if (isValidConfigBlock(block)) {
                policies = ChannelPolicies.fromConfigBlock(block);
            }
        }
        if (policies == null) {
            throw new IllegalStateException("channel " + id + " has no config block in its ledger");
        }
        return new PeerChannel(id, store, state, policies, endorsementPolicies);
    }

    private static boolean isValidConfigBlock(Block block) {
        if (block.getData().getDataCount() != 1) {
            return false;
        }
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
            int type = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getType();
            var md = block.getMetadata();
            int idx = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
            boolean valid = md.getMetadataCount() <= idx || md.getMetadata(idx).isEmpty()
                    || (md.getMetadata(idx).byteAt(0) & 0xff) == TxValidationCode.VALID_VALUE;
            return type == HeaderType.CONFIG_VALUE && valid;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    public String id() {
        return id;
    }

    public BlockStore store() {
        return store;
    }

    public WorldState state() {
        return state;
    }

    /** The channel's current config. */
    public ChannelPolicies policies() {
        return committer.policies();
    }

    public long height() {
        return store.height();
    }

    /** Called after every committed block, on the committing thread. */
    public void onCommit(Consumer<BlockCommitter.Committed> listener) {
        listeners.add(listener);
    }

    /** Waits until the committed height (state included) reaches {@code minHeight}; returns the height. */
    public long awaitHeight(long minHeight, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        heightLock.lock();
        try {
            while (state.height() < minHeight && left > 0) {
                left = heightReached.awaitNanos(left);
            }
            return state.height();
        } finally {
            heightLock.unlock();
        }
    }

    /**
     * Verifies a block from the orderer: it extends the stored chain (number, data hash, previous hash via
     * {@link ChainVerifier}) and its SIGNATURES metadata satisfies {@link #BLOCK_VALIDATION} (each signature is
     * over metadata value, signature header and the block header's ASN.1 bytes). Returns null or the reason.
     */
    String verify(Block block) {
        ChainAnchor anchor = ChainAnchor.of(store.lastBlock().getHeader());
        ChainVerification chain = ChainVerifier.verify(anchor, List.of(block));
        if (!chain.valid()) {
            return chain.failure().orElseThrow().message();
        }
        Metadata metadata;
        try {
            metadata = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return "failed unmarshalling block signature metadata: " + e.getMessage();
        }
        byte[] header = BlockHashes.headerBytes(block.getHeader());
        List<SignedData> signatures = new ArrayList<>();
        for (MetadataSignature sig : metadata.getSignaturesList()) {
            try {
                SignatureHeader shdr = SignatureHeader.parseFrom(sig.getSignatureHeader());
                var data = metadata.getValue().concat(sig.getSignatureHeader())
                        .concat(com.google.protobuf.ByteString.copyFrom(header));
                signatures.add(new SignedData(data, shdr.getCreator(), sig.getSignature()));
            } catch (InvalidProtocolBufferException e) {
                return "failed unmarshalling signature header: " + e.getMessage();
            }
        }
        PolicyResult result = committer.policies().evaluate(BLOCK_VALIDATION, signatures);
        return result.satisfied() ? null : "block " + block.getHeader().getNumber()
                + " fails policy " + BLOCK_VALIDATION + ": " + result.explanation();
    }

    /** Validates and commits the next block, then notifies. */
    synchronized BlockCommitter.Committed commit(Block block) {
        BlockCommitter.Committed committed = committer.commit(block);
        signalHeight();
        for (Consumer<BlockCommitter.Committed> listener : listeners) {
            try {
                listener.accept(committed);
            } catch (RuntimeException e) {
                // a listener's failure is its own
            }
        }
        return committed;
    }

    private void signalHeight() {
        heightLock.lock();
        try {
            heightReached.signalAll();
        } finally {
            heightLock.unlock();
        }
    }

    @Override
    public void close() {
        store.close();
        signalHeight();
    }
}
