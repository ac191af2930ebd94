package io.sandbox.devnet.orderer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ConfigBlocks;
import io.sandbox.core.fabric.channel.ConfigTxValidator;
import io.sandbox.core.fabric.channel.ConfigUpdateException;
import io.sandbox.core.fabric.identity.Ecdsa;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.devnet.ledger.BlockStore;
import io.sandbox.devnet.ledger.LedgerException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * One joined channel: its ledger, its config (policies, batch parameters) and its block cutter and writer.
 * Cutting and writing run on the channel's own thread, so blocks are produced strictly in order. A config update
 * becomes a config block of its own there, after which its config (batch parameters, policies, MSPs) applies.
 */
final class Channel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Channel.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code len(cb.BlockMetadataIndex_name)}: Fabric's {@code protoutil.NewBlock} creates one slot per index. */
    static final int METADATA_SLOTS = (int) java.util.Arrays.stream(BlockMetadataIndex.values())
            .filter(i -> i != BlockMetadataIndex.UNRECOGNIZED).count();

    final String id;
    final BlockStore store;
    /** The current config, replaced (on the cutter thread) when a config block is written. */
    volatile ChannelConfigView config;
    volatile ChannelPolicies policies;
    private volatile ConfigTxValidator validator;
    private volatile long lastConfigBlock;
    private final FabricIdentity signer;
    private final ByteString serializedSigner;
    private final boolean consenter;
    private final ScheduledExecutorService cutter;

    // cutter-thread state
    private final List<Envelope> pending = new ArrayList<>();
    private long pendingBytes;
    private ScheduledFuture<?> timer;
    private long raftIndex;

    private Channel(BlockStore store, Block configBlock, FabricIdentity signer, X509Certificate serverTlsCert, long lastConfigBlock) {
        this.store = store;
        this.config = ChannelConfigView.of(configBlock);
        this.id = config.channelId();
        this.policies = policies(configBlock);
        this.validator = new ConfigTxValidator(id, policies);
        this.lastConfigBlock = lastConfigBlock;
        this.signer = signer;
        this.serializedSigner = SerializedIdentity.newBuilder()
                .setMspid(signer.mspId())
                .setIdBytes(ByteString.copyFrom(signer.signing().certificatePem(), StandardCharsets.UTF_8))
                .build()
                .toByteString();
        this.consenter = !"etcdraft".equals(config.consensusType()) || config.consenterServerCerts().contains(serverTlsCert);
        this.raftIndex = store.height();
        this.cutter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "devnet-orderer-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses the policies of a config block, as an {@link IllegalArgumentException} when they are unusable. */
    static ChannelPolicies policies(Block configBlock) {
        try {
            return ChannelPolicies.fromConfigBlock(configBlock);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Opens an existing ledger; its config comes from the block its last block's LAST_CONFIG names. */
    static Channel open(BlockStore store, FabricIdentity signer, X509Certificate serverTlsCert) {
        long lastConfig = lastConfigIndex(store.lastBlock());
        return new Channel(store, store.block(lastConfig), signer, serverTlsCert, lastConfig);
    }

    /** Creates a channel on an empty ledger from its genesis block. */
    static Channel create(BlockStore store, Block genesis, FabricIdentity signer, X509Certificate serverTlsCert) {
        Channel channel = new Channel(store, genesis, signer, serverTlsCert, 0);
        store.append(genesis);
        return channel;
    }

    static long lastConfigIndex(Block block) {
        try {
            return ConfigBlocks.lastConfigIndex(block);
        } catch (IllegalArgumentException e) {
            throw new LedgerException("cannot read LAST_CONFIG of block " + block.getHeader().getNumber(), e);
        }
    }

    String consensusRelation() {
        return consenter ? "consenter" : "follower";
    }

    /** Evaluates a channel policy over an envelope's signature, as Fabric's SigFilter and deliver SessionAC do. */
    PolicyResult evaluate(String policyPath, Envelope envelope, ByteString creator) {
        return policies.evaluate(policyPath, List.of(new SignedData(envelope.getPayload(), creator, envelope.getSignature())));
    }

    /** The config sequence the broadcast filters ran against. */
    long sequence() {
        return config.sequence();
    }

    /**
     * Hands an accepted envelope to the block cutter. Validated at config sequence {@code seq}: when the config
     * changed meanwhile it is checked again ({@code /Channel/Writers}, size), as etcdraft's chain does.
     */
    void order(Envelope envelope, long seq) {
        cutter.execute(() -> {
            if (seq != config.sequence()) {
                String problem = revalidate(envelope);
                if (problem != null) {
                    LOG.warning(() -> "[channel: " + id + "] discarding a message validated at config sequence " + seq
                            + ": " + problem);
                    return;
                }
            }
            ordered(envelope);
        });
    }

    private String revalidate(Envelope envelope) {
        long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
        long absoluteMax = Integer.toUnsignedLong(config.batchSize().getAbsoluteMaxBytes());
        if (size > absoluteMax) {
            return "message payload is " + size + " bytes and exceeds maximum allowed " + absoluteMax + " bytes";
        }
        try {
            SignatureHeader shdr = SignatureHeader.parseFrom(
                    org.hyperledger.fabric.protos.common.Payload.parseFrom(envelope.getPayload()).getHeader().getSignatureHeader());
            PolicyResult writers = evaluate(AtomicBroadcastService.CHANNEL_WRITERS, envelope, shdr.getCreator());
            return writers.satisfied() ? null : writers.explanation() + ": permission denied";
        } catch (InvalidProtocolBufferException e) {
            return e.getMessage();
        }
    }

    // ---- config updates (msgprocessor.StandardChannel, configtx, etcdraft's config path) ----

    /**
     * {@code ChainSupport.ProposeConfigUpdate}: the config envelope of an authorized update, checked to be a
     * usable config for this orderer.
     */
    ConfigEnvelope proposeConfigUpdate(Envelope update) throws ConfigUpdateException {
        ConfigEnvelope proposed = validator.propose(update);
        ChannelConfigView next;
        try {
            next = ChannelConfigView.of(id, proposed.getConfig());
            ChannelPolicies.fromConfig(id, proposed.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ConfigUpdateException(e.getMessage());
        }
        if (!next.consensusType().equals(config.consensusType())) {
            throw new ConfigUpdateException("attempted to change consensus type from " + config.consensusType()
                    + " to " + next.consensusType());
        }
        return proposed;
    }

    /** {@code protoutil.CreateSignedEnvelope(CONFIG, ...)}: the config envelope signed by this orderer. */
    Envelope signedConfig(ConfigEnvelope configEnvelope) throws GeneralSecurityException {
        java.time.Instant now = java.time.Instant.now();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setChannelId(id)
                .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                .build();
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(serializedSigner)
                .setNonce(ByteString.copyFrom(nonce)).build();
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(configEnvelope.toByteString())
                .build()
                .toByteString();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.toByteArray());
        return Envelope.newBuilder().setPayload(payload)
                .setSignature(ByteString.copyFrom(Ecdsa.signDigest(signer.signing().privateKey(), digest)))
                .build();
    }

    /**
     * Orders a CONFIG envelope made at config sequence {@code seq}: re-proposed from its last update if the config
     * moved meanwhile, pending envelopes cut first, then a block of its own whose LAST_CONFIG is itself, and the new
     * config takes effect for everything after it.
     */
    void orderConfig(Envelope configEnvelope, long seq) {
        cutter.execute(() -> {
            Envelope envelope = configEnvelope;
            try {
                ConfigEnvelope proposed = ConfigEnvelope.parseFrom(Payload.parseFrom(envelope.getPayload()).getData());
                // the proposal's own sequence decides, so a proposal that raced a config change is never written
                if (seq != config.sequence() || proposed.getConfig().getSequence() != config.sequence() + 1) {
                    envelope = signedConfig(proposeConfigUpdate(proposed.getLastUpdate()));
                }
            } catch (ConfigUpdateException | InvalidProtocolBufferException | GeneralSecurityException e) {
                LOG.warning(() -> "[channel: " + id + "] discarding a config message validated at config sequence "
                        + seq + ": " + e.getMessage());
                return;
            }
            cutPending();
            long number = store.height();
            long previousConfig = lastConfigBlock;
            lastConfigBlock = number;
            writeBlock(List.of(envelope));
            if (store.height() != number + 1) {
                lastConfigBlock = previousConfig; // not written (logged); the old config stays
                return;
            }
            Block block = store.block(number);
            config = ChannelConfigView.of(block);
            policies = policies(block);
            validator = new ConfigTxValidator(id, policies);
            LOG.info(() -> "[channel: " + id + "] config block " + number + " written, config sequence " + config.sequence());
        });
    }

    // ---- block cutting (orderer/common/blockcutter) ----

    private void ordered(Envelope envelope) {
        long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
        long preferred = Integer.toUnsignedLong(config.batchSize().getPreferredMaxBytes());
        long maxCount = Integer.toUnsignedLong(config.batchSize().getMaxMessageCount());
        if (size > preferred) {
            // isolated in its own block, after cutting what is pending
            cutPending();
            writeBlock(List.of(envelope));
            return;
        }
        if (pendingBytes + size > preferred) {
            cutPending();
        }
        pending.add(envelope);
        pendingBytes += size;
        if (pending.size() >= maxCount) {
            cutPending();
        } else if (timer == null) {
            timer = cutter.schedule(this::timeout, config.batchTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void timeout() {
        timer = null;
        cutPending();
    }

    private void cutPending() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Envelope> batch = List.copyOf(pending);
        pending.clear();
        pendingBytes = 0;
        writeBlock(batch);
    }

    // ---- block writing (orderer/common/multichannel/blockwriter.go) ----

    private void writeBlock(List<Envelope> batch) {
        try {
            Block previous = store.lastBlock();
            BlockData.Builder data = BlockData.newBuilder();
            batch.forEach(e -> data.addData(e.toByteString()));
            BlockData blockData = data.build();
            BlockHeader header = BlockHeader.newBuilder()
                    .setNumber(previous.getHeader().getNumber() + 1)
                    .setPreviousHash(ByteString.copyFrom(BlockHashes.headerHash(previous.getHeader())))
                    .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(blockData)))
                    .build();
            store.append(Block.newBuilder()
                    .setHeader(header)
                    .setData(blockData)
                    .setMetadata(metadata(header))
                    .build());
        } catch (RuntimeException | GeneralSecurityException e) {
            LOG.log(Level.SEVERE, "[channel: " + id + "] could not write a block of " + batch.size() + " envelopes", e);
        }
    }

    private BlockMetadata metadata(BlockHeader header) throws GeneralSecurityException {
        raftIndex++;
        // etcdraft's consenter metadata for a single consenter with id 1
        ByteString consenterMetadata = org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata.newBuilder()
                .addConsenterIds(1)
                .setNextConsenterId(2)
                .setRaftIndex(raftIndex)
                .build()
                .toByteString();
        ByteString value = OrdererBlockMetadata.newBuilder()
                .setLastConfig(LastConfig.newBuilder().setIndex(lastConfigBlock))
                .setConsenterMetadata(Metadata.newBuilder().setValue(consenterMetadata).build().toByteString())
                .build()
                .toByteString();
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ByteString signatureHeader = SignatureHeader.newBuilder()
                .setCreator(serializedSigner)
                .setNonce(ByteString.copyFrom(nonce))
                .build()
                .toByteString();
        // signature over value || signature header || DER(block header), as blockwriter.addBlockSignature
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(value.toByteArray());
        digest.update(signatureHeader.toByteArray());
        digest.update(BlockHashes.headerBytes(header));
        byte[] signature = Ecdsa.signDigest(signer.signing().privateKey(), digest.digest());

        List<ByteString> slots = new ArrayList<>();
        for (int i = 0; i < METADATA_SLOTS; i++) {
            slots.add(ByteString.EMPTY);
        }
        slots.set(BlockMetadataIndex.LAST_CONFIG_VALUE, Metadata.newBuilder()
                .setValue(LastConfig.newBuilder().setIndex(lastConfigBlock).build().toByteString())
                .build().toByteString());
        slots.set(BlockMetadataIndex.SIGNATURES_VALUE, Metadata.newBuilder()
                .setValue(value)
                .addSignatures(MetadataSignature.newBuilder()
                        .setSignatureHeader(signatureHeader)
                        .setSignature(ByteString.copyFrom(signature)))
                .build().toByteString());
        return BlockMetadata.newBuilder().addAllMetadata(slots).build();
    }

    /** Stops cutting (pending envelopes are dropped, as a crashed orderer would lose them) and closes the ledger. */
    @Override
    public void close() {
        cutter.shutdownNow();
        try {
            cutter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
