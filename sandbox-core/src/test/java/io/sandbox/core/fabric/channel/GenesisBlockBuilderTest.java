package io.sandbox.core.fabric.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ChainAnchor;
import io.sandbox.core.fabric.block.ChainVerifier;
import io.sandbox.core.fabric.channel.ChannelDescription.AnchorPeer;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.AnchorPeers;
import org.junit.jupiter.api.Test;

class GenesisBlockBuilderTest {

    static ByteString pem(String label) {
        return ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\n" + label + "\n-----END CERTIFICATE-----\n");
    }

    static ChannelDescription description(boolean lockMembers) {
        OrdererOrg orderer = new OrdererOrg("OrdererOrg",
                new Msp("OrdererMSP", List.of(pem("orderer-ca")), List.of(pem("orderer-tlsca")), NodeOus.standard()),
                List.of("orderer0.regulator.example:7050"),
                List.of(new Consenter("orderer0.regulator.example", 7050, pem("o0-client"), pem("o0-server"))));
        ApplicationOrg regulator = new ApplicationOrg("Regulator",
                new Msp("RegulatorMSP", List.of(pem("reg-ca")), List.of(pem("reg-tlsca")), NodeOus.standard()),
                List.of(new AnchorPeer("peer0.regulator.example", 7051)));
        ApplicationOrg startup = new ApplicationOrg("Startup",
                new Msp("StartupMSP", List.of(pem("st-ca")), List.of(pem("st-tlsca")), NodeOus.standard()),
                List.of());
        return new ChannelDescription("sandbox-startup1", orderer, List.of(regulator, startup), "RegulatorMSP",
                lockMembers, null, null, null, null);
    }

    static final Instant TIME = Instant.parse("2025-01-02T03:04:05.678Z");
    static final byte[] NONCE = new byte[24];

    static ConfigGroup channelGroup(Block block) throws Exception {
        Envelope env = Envelope.parseFrom(block.getData().getData(0));
        Payload payload = Payload.parseFrom(env.getPayload());
        return ConfigEnvelope.parseFrom(payload.getData()).getConfig().getChannelGroup();
    }

    static SignaturePolicyEnvelope signature(Policy policy) throws Exception {
        assertThat(policy.getType()).isEqualTo(Policy.PolicyType.SIGNATURE_VALUE);
        return SignaturePolicyEnvelope.parseFrom(policy.getValue());
    }

    static ImplicitMetaPolicy implicit(Policy policy) throws Exception {
        assertThat(policy.getType()).isEqualTo(Policy.PolicyType.IMPLICIT_META_VALUE);
        return ImplicitMetaPolicy.parseFrom(policy.getValue());
    }

    static List<String> principals(SignaturePolicyEnvelope env) throws Exception {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (MSPPrincipal p : env.getIdentitiesList()) {
            assertThat(p.getPrincipalClassification()).isEqualTo(MSPPrincipal.Classification.ROLE);
            MSPRole role = MSPRole.parseFrom(p.getPrincipal());
            out.add(role.getMspIdentifier() + "." + role.getRole().name().toLowerCase());
        }
        return out;
    }

    @Test
    void blockParsesBackWithFabricEnvelopeShape() throws Exception {
        Block built = GenesisBlockBuilder.build(description(true), TIME, NONCE);
        Block block = Block.parseFrom(built.toByteArray());

        assertThat(block.getHeader().getNumber()).isZero();
        assertThat(block.getHeader().getPreviousHash()).isEmpty();
        assertThat(block.getData().getDataCount()).isEqualTo(1);
        Envelope env = Envelope.parseFrom(block.getData().getData(0));
        assertThat(env.getSignature()).isEmpty();
        Payload payload = Payload.parseFrom(env.getPayload());
        ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        SignatureHeader sh = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        assertThat(ch.getType()).isEqualTo(HeaderType.CONFIG_VALUE);
        assertThat(ch.getVersion()).isEqualTo(1);
        assertThat(ch.getChannelId()).isEqualTo("sandbox-startup1");
        assertThat(ch.getEpoch()).isZero();
        assertThat(ch.getTimestamp().getSeconds()).isEqualTo(TIME.getEpochSecond());
        assertThat(ch.getTimestamp().getNanos()).isZero();
        assertThat(sh.getCreator()).isEmpty();
        assertThat(sh.getNonce().toByteArray()).isEqualTo(NONCE);
        // SHA-256 of 24 zero bytes (nonce || empty creator), computed with `head -c 24 /dev/zero | openssl dgst -sha256`.
        assertThat(ch.getTxId()).isEqualTo("9d908ecfb6b256def8b49a7c504e6c889c4b0e41fe6ce3e01863dd7b61a20aa0");
        assertThat(ConfigEnvelope.parseFrom(payload.getData()).getConfig().getSequence()).isZero();
    }

    @Test
    void headerAndDataHashesCheckWithTheChainVerifier() {
        Block block = GenesisBlockBuilder.build(description(true));

        assertThat(block.getHeader().getDataHash().toByteArray()).isEqualTo(BlockHashes.dataHash(block.getData()));
        assertThat(ChainVerifier.verify(List.of(block)).valid()).isTrue();
        Block next = Block.newBuilder()
                .setHeader(block.getHeader().toBuilder().setNumber(1)
                        .setPreviousHash(ByteString.copyFrom(BlockHashes.headerHash(block.getHeader()))))
                .setData(block.getData())
                .build();
        assertThat(ChainVerifier.verify(ChainAnchor.of(block.getHeader()), List.of(next)).valid()).isTrue();
    }

    @Test
    void sameInputsGiveIdenticalBytes() {
        assertThat(GenesisBlockBuilder.build(description(true), TIME, NONCE).toByteArray())
                .isEqualTo(GenesisBlockBuilder.build(description(true), TIME, NONCE).toByteArray());
    }

    @Test
    void metadataHasFiveSlotsLikeGenesisGo() throws Exception {
        Block block = GenesisBlockBuilder.build(description(true), TIME, NONCE);

        assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
        OrdererBlockMetadata obm = OrdererBlockMetadata.parseFrom(
                Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE)).getValue());
        assertThat(obm.hasLastConfig()).isTrue();
        assertThat(obm.getLastConfig().getIndex()).isZero();
        assertThat(HexFormat.of().formatHex(block.getMetadata().getMetadata(0).toByteArray())).isEqualTo("0a020a00");
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE)).isEmpty();
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)).isEmpty();
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.ORDERER_VALUE)).isEmpty();
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.COMMIT_HASH_VALUE)).isEmpty();
    }

    @Test
    void ordererValuesAreWhereFabricLooks() throws Exception {
        ConfigGroup orderer = channelGroup(GenesisBlockBuilder.build(description(true), TIME, NONCE)).getGroupsOrThrow("Orderer");

        ConsensusType consensus = ConsensusType.parseFrom(orderer.getValuesOrThrow("ConsensusType").getValue());
        assertThat(consensus.getType()).isEqualTo("etcdraft");
        ConfigMetadata raft = ConfigMetadata.parseFrom(consensus.getMetadata());
        assertThat(raft.getConsentersList()).singleElement().satisfies(c -> {
            assertThat(c.getHost()).isEqualTo("orderer0.regulator.example");
            assertThat(c.getPort()).isEqualTo(7050);
            assertThat(c.getClientTlsCert()).isEqualTo(pem("o0-client"));
            assertThat(c.getServerTlsCert()).isEqualTo(pem("o0-server"));
        });
        assertThat(raft.getOptions().getTickInterval()).isEqualTo("500ms");
        assertThat(raft.getOptions().getSnapshotIntervalSize()).isEqualTo(16 * 1024 * 1024);
        BatchSize batch = BatchSize.parseFrom(orderer.getValuesOrThrow("BatchSize").getValue());
        assertThat(batch.getMaxMessageCount()).isEqualTo(500);
        assertThat(batch.getAbsoluteMaxBytes()).isEqualTo(10485760);
        assertThat(batch.getPreferredMaxBytes()).isEqualTo(2097152);
        assertThat(BatchTimeout.parseFrom(orderer.getValuesOrThrow("BatchTimeout").getValue()).getTimeout()).isEqualTo("2s");
        assertThat(orderer.getValuesMap()).containsKeys("ChannelRestrictions", "Capabilities");
        assertThat(implicit(orderer.getPoliciesOrThrow("BlockValidation").getPolicy()).getSubPolicy()).isEqualTo("Writers");
        ConfigGroup org = orderer.getGroupsOrThrow("OrdererOrg");
        assertThat(org.getValuesMap()).containsKeys("MSP", "Endpoints");
        assertThat(principals(signature(org.getPoliciesOrThrow("Admins").getPolicy()))).containsExactly("OrdererMSP.admin");
    }

    @Test
    void applicationValuesAndPoliciesAreWhereFabricLooks() throws Exception {
        ConfigGroup channel = channelGroup(GenesisBlockBuilder.build(description(true), TIME, NONCE));
        assertThat(channel.getValuesMap()).containsKeys("HashingAlgorithm", "BlockDataHashingStructure", "Capabilities");
        assertThat(channel.getModPolicy()).isEqualTo("Admins");
        ImplicitMetaPolicy channelAdmins = implicit(channel.getPoliciesOrThrow("Admins").getPolicy());
        assertThat(channelAdmins.getRule()).isEqualTo(ImplicitMetaPolicy.Rule.MAJORITY);

        ConfigGroup app = channel.getGroupsOrThrow("Application");
        assertThat(app.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins", "Endorsement", "LifecycleEndorsement");
        assertThat(implicit(app.getPoliciesOrThrow("LifecycleEndorsement").getPolicy()).getSubPolicy()).isEqualTo("Endorsement");
        assertThat(ACLs.parseFrom(app.getValuesOrThrow("ACLs").getValue()).getAclsMap()).hasSize(19)
                .hasEntrySatisfying("peer/Propose", r -> assertThat(r.getPolicyRef()).isEqualTo("/Channel/Application/Writers"));
        assertThat(org.hyperledger.fabric.protos.common.Capabilities.parseFrom(app.getValuesOrThrow("Capabilities").getValue())
                .getCapabilitiesMap()).containsOnlyKeys("V2_0");

        ConfigGroup startup = app.getGroupsOrThrow("Startup");
        MSPConfig msp = MSPConfig.parseFrom(startup.getValuesOrThrow("MSP").getValue());
        FabricMSPConfig fabricMsp = FabricMSPConfig.parseFrom(msp.getConfig());
        assertThat(msp.getType()).isZero();
        assertThat(fabricMsp.getName()).isEqualTo("StartupMSP");
        assertThat(fabricMsp.getRootCertsList()).containsExactly(pem("st-ca"));
        assertThat(fabricMsp.getTlsRootCertsList()).containsExactly(pem("st-tlsca"));
        assertThat(fabricMsp.getFabricNodeOus().getEnable()).isTrue();
        assertThat(fabricMsp.getFabricNodeOus().getPeerOuIdentifier().getOrganizationalUnitIdentifier()).isEqualTo("peer");
        assertThat(fabricMsp.getCryptoConfig().getSignatureHashFamily()).isEqualTo("SHA2");
        // locked: an empty AnchorPeers value the org itself may change
        assertThat(AnchorPeers.parseFrom(startup.getValuesOrThrow("AnchorPeers").getValue()).getAnchorPeersList()).isEmpty();
        assertThat(startup.getValuesOrThrow("AnchorPeers").getModPolicy()).isEqualTo("Admins");
        assertThat(principals(signature(startup.getPoliciesOrThrow("Readers").getPolicy())))
                .containsExactly("StartupMSP.admin", "StartupMSP.peer", "StartupMSP.client");
        assertThat(principals(signature(startup.getPoliciesOrThrow("Writers").getPolicy())))
                .containsExactly("StartupMSP.admin", "StartupMSP.client");
        assertThat(principals(signature(startup.getPoliciesOrThrow("Endorsement").getPolicy())))
                .containsExactly("StartupMSP.peer");
        SignaturePolicyEnvelope admins = signature(startup.getPoliciesOrThrow("Admins").getPolicy());
        assertThat(principals(admins)).containsExactly("StartupMSP.admin");
        assertThat(admins.getRule().getNOutOf().getN()).isEqualTo(1);

        ConfigGroup regulator = app.getGroupsOrThrow("Regulator");
        assertThat(AnchorPeers.parseFrom(regulator.getValuesOrThrow("AnchorPeers").getValue()).getAnchorPeers(0).getPort())
                .isEqualTo(7051);
    }

    @Test
    void applicationAdminsNamesOnlyTheRegulator() throws Exception {
        ConfigGroup app = channelGroup(GenesisBlockBuilder.build(description(true), TIME, NONCE)).getGroupsOrThrow("Application");

        SignaturePolicyEnvelope admins = signature(app.getPoliciesOrThrow("Admins").getPolicy());
        assertThat(principals(admins)).containsExactly("RegulatorMSP.admin");
        assertThat(admins.getRule().getNOutOf().getN()).isEqualTo(1);
        assertThat(app.getModPolicy()).isEqualTo("Admins");
        assertThat(app.getPoliciesOrThrow("Admins").getModPolicy()).isEqualTo("Admins");
    }

    @Test
    void lockedStartupGroupIsModifiedOnlyThroughTheRegulator() throws Exception {
        ConfigGroup app = channelGroup(GenesisBlockBuilder.build(description(true), TIME, NONCE)).getGroupsOrThrow("Application");

        ConfigGroup startup = app.getGroupsOrThrow("Startup");
        assertThat(startup.getModPolicy()).isEqualTo("/Channel/Application/Admins");
        assertThat(startup.getValuesOrThrow("MSP").getModPolicy()).isEqualTo("/Channel/Application/Admins");
        startup.getPoliciesMap().values().forEach(p -> assertThat(p.getModPolicy()).isEqualTo("/Channel/Application/Admins"));
        assertThat(app.getGroupsOrThrow("Regulator").getModPolicy()).isEqualTo("Admins");

        ConfigGroup unlocked = channelGroup(GenesisBlockBuilder.build(description(false), TIME, NONCE))
                .getGroupsOrThrow("Application").getGroupsOrThrow("Startup");
        assertThat(unlocked.getModPolicy()).isEqualTo("Admins");
    }

    @Test
    void rejectsAGovernorThatIsNotAMember() {
        ChannelDescription ok = description(true);
        assertThatThrownBy(() -> new ChannelDescription(ok.channelId(), ok.ordererOrg(), ok.applicationOrgs(), "OrdererMSP",
                true, null, null, null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("governor");
        assertThatThrownBy(() -> new ChannelDescription("Bad_Channel", ok.ordererOrg(), ok.applicationOrgs(), "RegulatorMSP",
                true, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void goDurationFormatting() {
        assertThat(GoDuration.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }
}
