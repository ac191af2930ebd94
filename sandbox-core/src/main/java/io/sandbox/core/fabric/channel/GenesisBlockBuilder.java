package io.sandbox.core.fabric.channel;

import static io.sandbox.core.fabric.channel.FabricPolicies.anyOf;
import static io.sandbox.core.fabric.channel.FabricPolicies.implicitMeta;
import static io.sandbox.core.fabric.channel.FabricPolicies.principal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;

/**
 * Builds the genesis (config) block of an application channel from a {@link ChannelDescription}, the way
 * Fabric 2.5's configtxgen does ({@code internal/configtxgen/encoder/encoder.go} for the config tree,
 * {@code common/genesis/genesis.go} for the block), ready for the orderer channel-participation join API.
 *
 * <h2>Config tree</h2>
 * <pre>
 * /Channel                      mod_policy Admins; values HashingAlgorithm(SHA256), BlockDataHashingStructure(MaxUint32), Capabilities
 *   policies Readers ANY Readers, Writers ANY Writers, Admins MAJORITY Admins      (all mod_policy Admins)
 *   /Orderer                    values BatchSize, BatchTimeout, ChannelRestrictions(0), Capabilities, ConsensusType(etcdraft + metadata)
 *     policies Readers ANY Readers, Writers ANY Writers, Admins MAJORITY Admins, BlockValidation ANY Writers
 *     /&lt;ordererOrg&gt;           values MSP, Endpoints; policies Readers/Writers OR(member), Admins OR(admin)
 *   /Application                values ACLs, Capabilities
 *     policies Readers ANY Readers, Writers ANY Writers, Endorsement/LifecycleEndorsement MAJORITY Endorsement,
 *              Admins = OR('&lt;governor&gt;.admin')   &lt;-- regulator lock (configtxgen default would be MAJORITY Admins)
 *     /&lt;org&gt;                  values MSP, AnchorPeers (if any; always for a locked org); policies Readers OR(admin,peer,client),
 *                               Writers OR(admin,client), Admins OR(admin), Endorsement OR(peer)
 * </pre>
 * Every element's mod_policy is {@code Admins} (relative to its group) as configtxgen sets it, except: with
 * {@link ChannelDescription#lockMemberOrgs()} the non-governor org groups, their MSP value and their
 * policies use {@code /Channel/Application/Admins} (the governor), leaving those orgs only their
 * AnchorPeers value. Consequences (see {@code docs/fabric-channel-governance.md}): adding or removing an
 * application org, changing ACLs, capabilities, or Application policies needs the governor's admin;
 * channel-level values need {@code /Channel/Admins} = MAJORITY of {Orderer/Admins, Application/Admins}, i.e.
 * the orderer org admin and the governor; no path is satisfiable by a non-governor org alone.
 *
 * <h2>Block</h2>
 * One envelope, unsigned: Payload{Header{ChannelHeader{type CONFIG, version 1, channel id, epoch 0, timestamp
 * (seconds, nanos 0), tx_id = hex(SHA-256(nonce || creator))}, SignatureHeader{creator empty, 24-byte random
 * nonce}}, data ConfigEnvelope{Config{sequence 0, channel_group}}}. Header number 0, previous_hash empty,
 * data_hash by {@link BlockHashes#dataHash}. Five metadata slots (one per BlockMetadataIndex), empty except
 * SIGNATURES = Metadata{value OrdererBlockMetadata{last_config{index 0}}} and LAST_CONFIG =
 * Metadata{value LastConfig{index 0}} (which, being all defaults, serialises to zero bytes).
 */
public final class GenesisBlockBuilder {

    public static final String ADMINS = "Admins";
    public static final String READERS = "Readers";
    public static final String WRITERS = "Writers";
    public static final String ENDORSEMENT = "Endorsement";
    public static final String LIFECYCLE_ENDORSEMENT = "LifecycleEndorsement";
    public static final String BLOCK_VALIDATION = "BlockValidation";
    public static final String APPLICATION_ADMINS_PATH = "/Channel/Application/Admins";

    /** genesis.go msgVersion. */
    static final int GENESIS_MESSAGE_VERSION = 1;
    /** common/crypto NonceSize. */
    static final int NONCE_SIZE = 24;

    private static final SecureRandom RANDOM = new SecureRandom();

    private GenesisBlockBuilder() {}

    /** Builds the genesis block with the current time and a fresh random nonce. */
    public static Block build(ChannelDescription description) {
        byte[] nonce = new byte[NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return build(description, Instant.now(), nonce);
    }

    /** Deterministic variant: the same inputs yield the same block bytes. */
    public static Block build(ChannelDescription description, Instant timestamp, byte[] nonce) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(nonce, "nonce");

        ByteString creator = ByteString.EMPTY;
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setVersion(GENESIS_MESSAGE_VERSION)
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(0))
                .setChannelId(description.channelId())
                .setEpoch(0)
                .setTxId(txId(nonce, creator.toByteArray()))
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(creator)
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(ConfigEnvelope.newBuilder()
                        .setConfig(Config.newBuilder().setSequence(0).setChannelGroup(channelGroup(description)))
                        .build()
                        .toByteString())
                .build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();

        BlockData data = BlockData.newBuilder().addData(envelope.toByteString()).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(0)
                .setPreviousHash(ByteString.EMPTY)
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data)))
                .build();

        ByteString[] slots = new ByteString[BlockMetadataIndex.values().length - 1]; // minus UNRECOGNIZED
        java.util.Arrays.fill(slots, ByteString.EMPTY);
        slots[BlockMetadataIndex.SIGNATURES_VALUE] = Metadata.newBuilder()
                .setValue(OrdererBlockMetadata.newBuilder()
                        .setLastConfig(LastConfig.newBuilder().setIndex(0))
                        .build()
                        .toByteString())
                .build()
                .toByteString();
        slots[BlockMetadataIndex.LAST_CONFIG_VALUE] = Metadata.newBuilder()
                .setValue(LastConfig.newBuilder().setIndex(0).build().toByteString())
                .build()
                .toByteString();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (ByteString slot : slots) {
            metadata.addMetadata(slot);
        }
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }

    /** The {@code /Channel} group on its own (what configtxgen's NewChannelGroup returns). */
    public static ConfigGroup channelGroup(ChannelDescription d) {
        ConfigGroup.Builder channel = group();
        putPolicy(channel, READERS, implicitMeta(Rule.ANY, READERS), ADMINS);
        putPolicy(channel, WRITERS, implicitMeta(Rule.ANY, WRITERS), ADMINS);
        putPolicy(channel, ADMINS, implicitMeta(Rule.MAJORITY, ADMINS), ADMINS);
        putValue(channel, "HashingAlgorithm", HashingAlgorithm.newBuilder().setName("SHA256").build(), ADMINS);
        putValue(channel, "BlockDataHashingStructure",
                BlockDataHashingStructure.newBuilder().setWidth(0xFFFFFFFF).build(), ADMINS);
        putValue(channel, "Capabilities", capabilities(d.capabilities().channel()), ADMINS);
        channel.putGroups("Orderer", ordererGroup(d));
        channel.putGroups("Application", applicationGroup(d));
        return channel.build();
    }

    private static ConfigGroup ordererGroup(ChannelDescription d) {
        ConfigGroup.Builder orderer = group();
        putPolicy(orderer, READERS, implicitMeta(Rule.ANY, READERS), ADMINS);
        putPolicy(orderer, WRITERS, implicitMeta(Rule.ANY, WRITERS), ADMINS);
        putPolicy(orderer, ADMINS, implicitMeta(Rule.MAJORITY, ADMINS), ADMINS);
        putPolicy(orderer, BLOCK_VALIDATION, implicitMeta(Rule.ANY, WRITERS), ADMINS);
        putValue(orderer, "BatchSize", BatchSize.newBuilder()
                .setMaxMessageCount(d.batch().maxMessageCount())
                .setAbsoluteMaxBytes(d.batch().absoluteMaxBytes())
                .setPreferredMaxBytes(d.batch().preferredMaxBytes())
                .build(), ADMINS);
        putValue(orderer, "BatchTimeout",
                BatchTimeout.newBuilder().setTimeout(GoDuration.format(d.batch().batchTimeout())).build(), ADMINS);
        putValue(orderer, "ChannelRestrictions", ChannelRestrictions.newBuilder().setMaxCount(0).build(), ADMINS);
        putValue(orderer, "Capabilities", capabilities(d.capabilities().orderer()), ADMINS);

        OrdererOrg org = d.ordererOrg();
        ConfigMetadata.Builder raft = ConfigMetadata.newBuilder().setOptions(Options.newBuilder()
                .setTickInterval(d.raftOptions().tickInterval())
                .setElectionTick(d.raftOptions().electionTick())
                .setHeartbeatTick(d.raftOptions().heartbeatTick())
                .setMaxInflightBlocks(d.raftOptions().maxInflightBlocks())
                .setSnapshotIntervalSize(d.raftOptions().snapshotIntervalSize()));
        for (ChannelDescription.Consenter c : org.consenters()) {
            raft.addConsenters(Consenter.newBuilder()
                    .setHost(c.host())
                    .setPort(c.port())
                    .setClientTlsCert(c.clientTlsCert())
                    .setServerTlsCert(c.serverTlsCert()));
        }
        putValue(orderer, "ConsensusType",
                ConsensusType.newBuilder().setType("etcdraft").setMetadata(raft.build().toByteString()).build(), ADMINS);

        String msp = org.msp().mspId();
        ConfigGroup.Builder orgGroup = group();
        putPolicy(orgGroup, READERS, anyOf(principal(msp, MSPRoleType.MEMBER)), ADMINS);
        putPolicy(orgGroup, WRITERS, anyOf(principal(msp, MSPRoleType.MEMBER)), ADMINS);
        putPolicy(orgGroup, ADMINS, anyOf(principal(msp, MSPRoleType.ADMIN)), ADMINS);
        putValue(orgGroup, "MSP", mspConfig(org.msp()), ADMINS);
        if (!org.endpoints().isEmpty()) {
            putValue(orgGroup, "Endpoints", OrdererAddresses.newBuilder().addAllAddresses(org.endpoints()).build(), ADMINS);
        }
        orderer.putGroups(org.name(), orgGroup.build());
        return orderer.build();
    }

    private static ConfigGroup applicationGroup(ChannelDescription d) {
        ConfigGroup.Builder app = group();
        putPolicy(app, READERS, implicitMeta(Rule.ANY, READERS), ADMINS);
        putPolicy(app, WRITERS, implicitMeta(Rule.ANY, WRITERS), ADMINS);
        putPolicy(app, ENDORSEMENT, implicitMeta(Rule.MAJORITY, ENDORSEMENT), ADMINS);
        putPolicy(app, LIFECYCLE_ENDORSEMENT, implicitMeta(Rule.MAJORITY, ENDORSEMENT), ADMINS);
        // Regulator lock: only the governor's admins satisfy /Channel/Application/Admins.
        putPolicy(app, ADMINS, anyOf(principal(d.governorMspId(), MSPRoleType.ADMIN)), ADMINS);
        ACLs.Builder acls = ACLs.newBuilder();
        d.acls().forEach((resource, policy) -> acls.putAcls(resource, APIResource.newBuilder().setPolicyRef(policy).build()));
        if (!d.acls().isEmpty()) {
            putValue(app, "ACLs", acls.build(), ADMINS);
        }
        putValue(app, "Capabilities", capabilities(d.capabilities().application()), ADMINS);

        for (ApplicationOrg org : d.applicationOrgs()) {
            boolean locked = d.lockMemberOrgs() && !org.msp().mspId().equals(d.governorMspId());
            String mod = locked ? APPLICATION_ADMINS_PATH : ADMINS;
            String msp = org.msp().mspId();
            ConfigGroup.Builder orgGroup = group().setModPolicy(mod);
            putPolicy(orgGroup, READERS, anyOf(principal(msp, MSPRoleType.ADMIN), principal(msp, MSPRoleType.PEER),
                    principal(msp, MSPRoleType.CLIENT)), mod);
            putPolicy(orgGroup, WRITERS, anyOf(principal(msp, MSPRoleType.ADMIN), principal(msp, MSPRoleType.CLIENT)), mod);
            putPolicy(orgGroup, ADMINS, anyOf(principal(msp, MSPRoleType.ADMIN)), mod);
            putPolicy(orgGroup, ENDORSEMENT, anyOf(principal(msp, MSPRoleType.PEER)), mod);
            putValue(orgGroup, "MSP", mspConfig(org.msp()), mod);
            // a locked org gets its AnchorPeers value even without anchors: adding it later would change the
            // org group itself, whose mod_policy is the governor's, so the org could never set its own anchors
            if (!org.anchorPeers().isEmpty() || locked) {
                AnchorPeers.Builder anchors = AnchorPeers.newBuilder();
                org.anchorPeers().forEach(p -> anchors.addAnchorPeers(AnchorPeer.newBuilder().setHost(p.host()).setPort(p.port())));
                putValue(orgGroup, "AnchorPeers", anchors.build(), ADMINS);
            }
            app.putGroups(org.name(), orgGroup.build());
        }
        return app.build();
    }

    /** configtxgen's MSP value: a FABRIC (type 0) MSPConfig wrapping a verifying FabricMSPConfig. */
    static MSPConfig mspConfig(Msp msp) {
        FabricMSPConfig.Builder config = FabricMSPConfig.newBuilder()
                .setName(msp.mspId())
                .addAllRootCerts(msp.rootCerts())
                .addAllTlsRootCerts(msp.tlsRootCerts())
                .setCryptoConfig(FabricCryptoConfig.newBuilder()
                        .setSignatureHashFamily("SHA2")
                        .setIdentityIdentifierHashFunction("SHA256"));
        NodeOus ous = msp.nodeOus();
        if (ous.enable()) {
            FabricNodeOUs.Builder nodeOus = FabricNodeOUs.newBuilder().setEnable(true);
            if (notBlank(ous.clientOu())) nodeOus.setClientOuIdentifier(ou(ous.clientOu(), ous.certificate()));
            if (notBlank(ous.peerOu())) nodeOus.setPeerOuIdentifier(ou(ous.peerOu(), ous.certificate()));
            if (notBlank(ous.adminOu())) nodeOus.setAdminOuIdentifier(ou(ous.adminOu(), ous.certificate()));
            if (notBlank(ous.ordererOu())) nodeOus.setOrdererOuIdentifier(ou(ous.ordererOu(), ous.certificate()));
            config.setFabricNodeOus(nodeOus);
        }
        return MSPConfig.newBuilder().setType(0).setConfig(config.build().toByteString()).build();
    }

    private static FabricOUIdentifier ou(String identifier, ByteString certificate) {
        return FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier(identifier).setCertificate(certificate).build();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static Capabilities capabilities(Set<String> names) {
        Capabilities.Builder caps = Capabilities.newBuilder();
        names.forEach(name -> caps.putCapabilities(name, Capability.getDefaultInstance()));
        return caps.build();
    }

    private static ConfigGroup.Builder group() {
        return ConfigGroup.newBuilder().setVersion(0).setModPolicy(ADMINS);
    }

    private static void putValue(ConfigGroup.Builder group, String key, Message value, String modPolicy) {
        group.putValues(key, ConfigValue.newBuilder().setValue(value.toByteString()).setModPolicy(modPolicy).build());
    }

    private static void putPolicy(ConfigGroup.Builder group, String key, Policy policy, String modPolicy) {
        group.putPolicies(key, ConfigPolicy.newBuilder().setPolicy(policy).setModPolicy(modPolicy).build());
    }

    /** protoutil.ComputeTxID: hex(SHA-256(nonce || creator)). */
    static String txId(byte[] nonce, byte[] creator) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(nonce);
            sha.update(creator);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
