package io.sandbox.devnet.peer.validation;

import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.devnet.peer.state.WorldState;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The commit path of one channel on a peer: validate a block from the orderer ({@link BlockValidator}), write
 * its TRANSACTIONS_FILTER, hand the block to the block store, then apply it to the {@link WorldState}, as Fabric's
 * {@code LedgerCommitter} (block store first, state after; on restart the state is rebuilt from the store).
 * A valid CONFIG block replaces the channel's {@link ChannelPolicies} for the following blocks.
 *
 * <p>Commits are serialised; thread-safe.
 */
public final class BlockCommitter {

    /**
     * A committed block.
     *
     * @param block      the block as stored, with its TRANSACTIONS_FILTER
     * @param validation its validation outcome
     */
    public record Committed(Block block, BlockValidation validation) {}

    private final WorldState state;
    private final BlockValidator validator;
    private final Consumer<Block> blockStore;
    private final Function<Block, ChannelPolicies> configLoader;
    private volatile ChannelPolicies policies;

    /**
     * @param state               the channel's world state (already rebuilt from the stored blocks)
     * @param policies            the channel's current config
     * @param endorsementPolicies chaincode endorsement policies
     * @param blockStore          persists a validated block (e.g. {@code BlockStore::append}); runs before the
     *                            state changes, and a failure leaves the state untouched
     * @param configLoader        reads the new config from a valid config block ({@code ChannelPolicies::fromConfigBlock})
     */
    public BlockCommitter(WorldState state, ChannelPolicies policies, EndorsementPolicies endorsementPolicies,
            Consumer<Block> blockStore, Function<Block, ChannelPolicies> configLoader) {
        this.state = Objects.requireNonNull(state, "state");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.validator = new BlockValidator(state.channelId(), endorsementPolicies);
        this.blockStore = Objects.requireNonNull(blockStore, "blockStore");
        this.configLoader = Objects.requireNonNull(configLoader, "configLoader");
    }

    /** With {@link ChannelPolicies#fromConfigBlock(Block)} as the config loader. */
    public BlockCommitter(WorldState state, ChannelPolicies policies, EndorsementPolicies endorsementPolicies,
            Consumer<Block> blockStore) {
        this(state, policies, endorsementPolicies, blockStore, ChannelPolicies::fromConfigBlock);
    }

    /** The channel's current config. */
    public ChannelPolicies policies() {
        return policies;
    }

    /** The world state. */
    public WorldState state() {
        return state;
    }

    /**
     * Block 0 (the genesis config block a peer joins with) is not validated: its transactions are marked valid,
     * as Fabric does when it creates a ledger from a genesis block (the orderer's genesis envelope is unsigned).
     */
    private static BlockValidation genesis(Block block) {
        int n = block.getData().getDataCount();
        return new BlockValidation(0, java.util.Collections.nCopies(n,
                org.hyperledger.fabric.protos.peer.TxValidationCode.VALID), java.util.Collections.nCopies(n, ""), false);
    }

    /**
     * Validates and commits the next block (block 0, the genesis block, without validation).
     *
     * @throws IllegalArgumentException if it is not the next block
     */
    public synchronized Committed commit(Block block) {
        Objects.requireNonNull(block, "block");
        if (block.getHeader().getNumber() != state.height()) {
            throw new IllegalArgumentException("channel " + state.channelId() + " expects block " + state.height()
                    + ", got block " + block.getHeader().getNumber());
        }
        BlockValidation validation = block.getHeader().getNumber() == 0
                ? genesis(block)
                : validator.validate(block, policies, state);
        Block validated = validation.applyTo(block);
        blockStore.accept(validated);
        state.commit(validated);
        if (validation.configValid()) {
            policies = configLoader.apply(validated);
        }
        return new Committed(validated, validation);
    }
}
