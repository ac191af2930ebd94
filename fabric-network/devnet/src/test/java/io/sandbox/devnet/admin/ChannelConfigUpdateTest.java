package io.sandbox.devnet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.BroadcastException;
import io.sandbox.core.fabric.admin.ChannelConfigClient;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.admin.ProposalException;
import io.sandbox.core.fabric.block.ChainVerifier;
import io.sandbox.core.fabric.block.ConfigBlocks;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ConfigUpdates;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.devnet.orderer.OrdererTestAccess;
import io.sandbox.devnet.peer.PeerChannel;
import io.sandbox.devnet.peer.PeerNode;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channel config updates through the platform's admin client against the devnet's orderer and peers (real gRPC,
 * TLS, ledgers): who may change what under the regulator lock, the orderer and the peers applying the new config,
 * and the config surviving a restart.
 */
class ChannelConfigUpdateTest {

    private static final String CHANNEL = "startup-config";
    private static final OrganisationMaterial NEWCOMER = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("NewcomerMSP", "newcomer.example.com", "peer0"));
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private final AdminIdentity ordererAdmin = AdminNetwork.admin(AdminNetwork.ORDERER_ORG);
    private final AdminIdentity governor = AdminNetwork.admin(AdminNetwork.REGULATOR);
    private final AdminIdentity startup = AdminNetwork.admin(AdminNetwork.STARTUP);
    private final AdminIdentity outsider = AdminIdentity.of(OrdererTestAccess.OUTSIDER.admin());
    private final AdminIdentity newcomer = AdminIdentity.of(NEWCOMER.admin());

    @Test
    void updatesAreAuthorizedByTheLockedModPoliciesAppliedByOrdererAndPeersAndKeptOverARestart() throws Exception {
        try (AdminNetwork net = new AdminNetwork(dir);
                OrdererAdmin participation = OrdererAdmin.connect(net.ordererEndpoint());
                PeerAdmin reg = PeerAdmin.connect(net.regulatorPeer(), governor);
                PeerAdmin st = PeerAdmin.connect(net.startupPeer(), startup);
                PeerAdmin stAtRegulatorPeer = PeerAdmin.connect(net.regulatorPeer(), startup);
                PeerAdmin newcomerAtRegulatorPeer = PeerAdmin.connect(net.regulatorPeer(), newcomer);
                ChannelConfigClient configs = ChannelConfigClient.connect(net.ordererEndpoint())) {
            Block genesis = net.genesis(CHANNEL);
            participation.joinChannel(genesis);
            reg.joinChannel(genesis);
            st.joinChannel(genesis);
            Config c0 = ConfigBlocks.config(configs.configBlock(CHANNEL, governor));
            assertThat(c0.getSequence()).isZero();

            // --- the governor adds an org (Application group membership: /Channel/Application/Admins) ---
            assertThatThrownBy(() -> newcomerAtRegulatorPeer.chainInfo(CHANNEL)).isInstanceOf(ProposalException.class);
            ConfigGroup newcomerGroup = newcomerGroup();
            UnaryOperator<Config> addNewcomer = c -> edit(c, ch -> sub(ch, "Application",
                    app -> app.toBuilder().putGroups("Newcomer", newcomerGroup).build()));
            // the member startup may not add anyone
            assertRefused(() -> configs.update(CHANNEL, addNewcomer, startup, List.of(startup)), "BAD_REQUEST",
                    "error applying config update to existing channel '" + CHANNEL + "': error authorizing update: "
                            + "error validating DeltaSet: policy for [Group]  /Channel/Application not satisfied: ");
            ConfigUpdate added = configs.update(CHANNEL, addNewcomer, governor, List.of(governor));
            awaitSequence(net, 1);
            assertThat(newcomerAtRegulatorPeer.chainInfo(CHANNEL).height()).isPositive();
            assertThat(net.stPeer.channel(CHANNEL).policies().mspIds()).contains("NewcomerMSP");

            // a stale read set: an update computed from the genesis config that changes Application membership
            ConfigUpdate stale = ConfigUpdates.compute(CHANNEL, c0, edit(c0, ch -> sub(ch, "Application",
                    app -> app.toBuilder().removeGroups("Startup").build())));
            assertRefused(() -> configs.submit(stale, List.of(ChannelConfigClient.sign(stale, governor)), governor),
                    "BAD_REQUEST", "error validating ReadSet: proposed update requires that key [Group]  /Channel/Application "
                            + "be at version 0, but it is currently at version 1");
            // a replayed update: its read set is stale too
            assertRefused(() -> configs.submit(added, List.of(ChannelConfigClient.sign(added, governor)), governor),
                    "BAD_REQUEST", "error validating ReadSet: proposed update requires that key [Group]  /Channel/Application "
                            + "be at version 0, but it is currently at version 1");

            // --- the governor changes an ACL; both peers enforce it ---
            assertThat(st.chainInfo(CHANNEL).height()).isPositive();
            assertThat(st.configBlock(CHANNEL).getHeader().getNumber()).isEqualTo(
                    reg.configBlock(CHANNEL).getHeader().getNumber());
            UnaryOperator<Config> lockChainInfo = c -> edit(c, ch -> sub(ch, "Application",
                    app -> acl(acl(app, "qscc/GetChainInfo", "/Channel/Application/Admins"),
                            "cscc/GetConfigBlock", "/Channel/Application/Admins")));
            assertRefused(() -> configs.update(CHANNEL, lockChainInfo, startup, List.of(startup)), "BAD_REQUEST",
                    "policy for [Value]  /Channel/Application/ACLs not satisfied: ");
            ConfigUpdate locked = configs.update(CHANNEL, lockChainInfo, governor, List.of(governor));
            awaitSequence(net, 2);
            // replayed: the value's write version is the current one
            assertRefused(() -> configs.submit(locked, List.of(ChannelConfigClient.sign(locked, governor)), governor),
                    "BAD_REQUEST", "attempt to set key [Value]  /Channel/Application/ACLs to version 1, but key is at version 1");
            assertThatThrownBy(() -> st.chainInfo(CHANNEL)).isInstanceOf(ProposalException.class);
            assertThatThrownBy(() -> stAtRegulatorPeer.chainInfo(CHANNEL)).isInstanceOf(ProposalException.class);
            assertThat(reg.chainInfo(CHANNEL).height()).isPositive();
            assertThatThrownBy(() -> st.configBlock(CHANNEL)).isInstanceOf(ProposalException.class)
                    .hasMessageContaining("access denied for [GetConfigBlock][" + CHANNEL + "]");
            assertThat(ConfigBlocks.config(reg.configBlock(CHANNEL)).getSequence()).isEqualTo(2);
            assertThat(st.channelConfig(CHANNEL).getSequence()).isEqualTo(2);

            // --- the member startup: its AnchorPeers only ---
            assertRefused(() -> configs.update(CHANNEL, c -> edit(c, ch -> sub(ch, "Application",
                            app -> app.toBuilder().removeGroups("Regulator").build())), startup, List.of(startup)),
                    "BAD_REQUEST", "policy for [Group]  /Channel/Application not satisfied: ");
            assertRefused(() -> configs.update(CHANNEL, c -> edit(c, ch -> sub(ch, "Application",
                            app -> policy(app, "Admins", app.getGroupsOrThrow("Startup").getPoliciesOrThrow("Admins")))),
                            startup, List.of(startup)),
                    "BAD_REQUEST", "policy for [Policy] /Channel/Application/Admins not satisfied: ");
            assertRefused(() -> configs.update(CHANNEL, c -> edit(c, ch -> sub(ch, "Application", app -> sub(app, "Startup",
                            org -> policy(org, "Writers", org.getPoliciesOrThrow("Admins"))))), startup, List.of(startup)),
                    "BAD_REQUEST", "policy for [Policy] /Channel/Application/Startup/Writers not satisfied: ");
            AnchorPeers anchors = AnchorPeers.newBuilder()
                    .addAnchorPeers(AnchorPeer.newBuilder().setHost("peer0.startup.example.com").setPort(7051)).build();
            configs.update(CHANNEL, c -> edit(c, ch -> sub(ch, "Application", app -> sub(app, "Startup",
                    org -> value(org, "AnchorPeers", anchors)))), startup, List.of(startup));
            awaitSequence(net, 3);

            // --- an admin of an org that is not a member (startup B) ---
            // it cannot even read the config (Deliver: /Channel/Readers)
            assertRefused(() -> configs.update(CHANNEL, c -> edit(c, ch -> sub(ch, "Application",
                            app -> acl(app, "qscc/GetChainInfo", "/Channel/Application/Readers"))), outsider, List.of(outsider)),
                    "DeliverException");
            Config current = ConfigBlocks.config(configs.configBlock(CHANNEL, governor));
            ConfigUpdate byOutsider = ConfigUpdates.compute(CHANNEL, current, edit(current, ch -> sub(ch, "Application",
                    app -> acl(app, "qscc/GetChainInfo", "/Channel/Application/Readers"))));
            assertRefused(() -> configs.submit(byOutsider, List.of(ChannelConfigClient.sign(byOutsider, outsider)), outsider),
                    "FORBIDDEN", "config update for existing channel did not pass initial checks: ");
            // submitted by a member, signed only by the outsider: its signature counts for nothing
            assertRefused(() -> configs.submit(byOutsider, List.of(ChannelConfigClient.sign(byOutsider, outsider)), startup),
                    "BAD_REQUEST", "policy for [Value]  /Channel/Application/ACLs not satisfied: ");

            // --- orderer values: /Channel/Orderer/Admins (the orderer org) ---
            UnaryOperator<Config> slowBatches = c -> edit(c, ch -> sub(ch, "Orderer", o -> value(value(o, "BatchTimeout",
                    BatchTimeout.newBuilder().setTimeout("1h").build()), "BatchSize", BatchSize.newBuilder()
                    .setMaxMessageCount(2).setAbsoluteMaxBytes(10 * 1024 * 1024).setPreferredMaxBytes(2 * 1024 * 1024).build())));
            assertRefused(() -> configs.update(CHANNEL, slowBatches, governor, List.of(governor)), "BAD_REQUEST",
                    "policy for [Value]  /Channel/Orderer/BatchSize not satisfied: ");
            configs.update(CHANNEL, slowBatches, ordererAdmin, List.of(ordererAdmin));
            awaitSequence(net, 4);
            // the orderer cuts by the new BatchSize: two envelopes make a block (the new timeout is an hour)
            assertThat(blockSizesAfterBroadcasting(net, 2)).containsExactly(2);

            // --- channel values: /Channel/Admins = MAJORITY of {Orderer/Admins, Application/Admins}: both ---
            UnaryOperator<Config> capabilities = c -> edit(c, ch -> value(ch, "Capabilities", Capabilities.newBuilder()
                    .putCapabilities("V2_0", Capability.getDefaultInstance())
                    .putCapabilities("V1_4_3", Capability.getDefaultInstance()).build()));
            assertRefused(() -> configs.update(CHANNEL, capabilities, ordererAdmin, List.of(ordererAdmin)), "BAD_REQUEST",
                    "policy for [Value]  /Channel/Capabilities not satisfied: ");
            assertRefused(() -> configs.update(CHANNEL, capabilities, governor, List.of(governor)), "BAD_REQUEST",
                    "policy for [Value]  /Channel/Capabilities not satisfied: ");
            configs.update(CHANNEL, capabilities, governor, List.of(governor, ordererAdmin));
            awaitSequence(net, 5);

            // the chain verifies on the orderer's Deliver and on each peer; the config blocks carry sequences 1..5
            for (PeerNode peer : List.of(net.regPeer, net.stPeer)) {
                PeerChannel channel = peer.channel(CHANNEL);
                List<Block> blocks = new ArrayList<>();
                for (long n = 0; n < channel.height(); n++) {
                    blocks.add(channel.store().block(n));
                }
                assertThat(ChainVerifier.verify(blocks).valid()).isTrue();
                assertThat(blocks.stream().filter(b -> isConfig(b)).map(b -> ConfigBlocks.config(b).getSequence()))
                        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            }
        }

        // --- a restart serves the latest config ---
        try (AdminNetwork net = new AdminNetwork(dir);
                PeerAdmin st = PeerAdmin.connect(net.startupPeer(), startup);
                PeerAdmin newcomerAtRegulatorPeer = PeerAdmin.connect(net.regulatorPeer(), newcomer);
                ChannelConfigClient configs = ChannelConfigClient.connect(net.ordererEndpoint())) {
            Config latest = ConfigBlocks.config(configs.configBlock(CHANNEL, governor));
            assertThat(latest.getSequence()).isEqualTo(5);
            awaitSequence(net, 5);
            // the restarted peer serves the config it committed, the orderer's
            assertThat(st.channelConfig(CHANNEL)).isEqualTo(latest);
            assertThatThrownBy(() -> st.chainInfo(CHANNEL)).isInstanceOf(ProposalException.class);
            assertThatThrownBy(() -> newcomerAtRegulatorPeer.chainInfo(CHANNEL)).isInstanceOf(ProposalException.class);
            // the orderer still cuts by the updated BatchSize: three envelopes make a block of two (one pending)
            assertThat(blockSizesAfterBroadcasting(net, 3)).containsExactly(2);
            // and a further update builds on the restarted config
            configs.update(CHANNEL, c -> edit(c, ch -> sub(ch, "Application",
                    app -> acl(app, "qscc/GetChainInfo", "/Channel/Application/Readers"))), governor, List.of(governor));
            awaitSequence(net, 6);
            assertThat(newcomerAtRegulatorPeer.chainInfo(CHANNEL).height()).isPositive();
        }
    }

    // ---- helpers ----

    private static void assertRefused(Runnable update, String status, String... infoParts) {
        assertThatThrownBy(update::run).satisfies(e -> {
            if (status.equals("DeliverException")) {
                assertThat(e.getClass().getSimpleName()).isEqualTo("DeliverException");
                return;
            }
            assertThat(e).isInstanceOf(BroadcastException.class);
            BroadcastException b = (BroadcastException) e;
            assertThat(b.status()).isEqualTo(status);
            for (String part : infoParts) {
                assertThat(b.info()).contains(part);
            }
        });
    }

    /** Waits until the orderer and both peers are at this config sequence. */
    private static void awaitSequence(AdminNetwork net, long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (PeerNode peer : List.of(net.regPeer, net.stPeer)) {
                PeerChannel channel = peer.channel(CHANNEL);
                all &= channel != null && channel.policies().config().getSequence() == sequence;
            }
            if (all) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("peers did not reach config sequence " + sequence);
    }

    /** Broadcasts {@code count} envelopes and returns the sizes of the blocks that follow, once one was cut. */
    private static List<Integer> blockSizesAfterBroadcasting(AdminNetwork net, int count) throws Exception {
        PeerChannel channel = net.regPeer.channel(CHANNEL);
        long before = net.orderer.height(CHANNEL);
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(transaction(AdminNetwork.REGULATOR.user()));
        }
        ManagedChannel grpc = OrdererTestAccess.grpc(net.orderer, null);
        try {
            assertThat(OrdererTestAccess.broadcast(grpc, envelopes)).allSatisfy(r ->
                    assertThat(r.getStatus()).isEqualTo(org.hyperledger.fabric.protos.common.Status.SUCCESS));
        } finally {
            grpc.shutdownNow();
        }
        assertThat(channel.awaitHeight(before + 1, Duration.ofSeconds(20))).isGreaterThan(before);
        List<Integer> sizes = new ArrayList<>();
        for (long n = before; n < channel.height(); n++) {
            sizes.add(channel.store().block(n).getData().getDataCount());
        }
        return sizes;
    }

    /** An endorser-transaction envelope the orderer orders (the peers will mark it invalid: it has no endorsements). */
    private static Envelope transaction(FabricIdentity signer) throws Exception {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ByteString creator = SerializedIdentity.newBuilder().setMspid(signer.mspId())
                .setIdBytes(ByteString.copyFromUtf8(signer.signing().certificatePem())).build().toByteString();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(nonce);
        sha.update(creator.toByteArray());
        ChannelHeader chdr = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL).setTxId(HexFormat.of().formatHex(sha.digest())).build();
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(chdr.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creator).setNonce(ByteString.copyFrom(nonce))
                                .build().toByteString()))
                .setData(ByteString.copyFromUtf8("not a transaction")).build();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.toByteArray());
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(signer.gatewaySigner().sign(digest))).build();
    }

    private static boolean isConfig(Block block) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getType() == HeaderType.CONFIG_VALUE;
        } catch (Exception e) {
            return false;
        }
    }

    /** The newcomer org's group as the genesis builder would make it for a locked member org. */
    private ConfigGroup newcomerGroup() {
        ChannelDescription.Msp msp = new ChannelDescription.Msp(NEWCOMER.mspId(),
                List.of(ByteString.copyFromUtf8(NEWCOMER.signingCa().certificatePem())),
                List.of(ByteString.copyFromUtf8(NEWCOMER.tlsCa().certificatePem())), ChannelDescription.NodeOus.standard());
        Config c0 = ConfigBlocks.config(new AdminNetworkGenesis().with(msp));
        return c0.getChannelGroup().getGroupsOrThrow("Application").getGroupsOrThrow("Newcomer");
    }

    /** A throwaway three-org description, only to take the newcomer's org group from. */
    private static final class AdminNetworkGenesis {
        Block with(ChannelDescription.Msp newcomerMsp) {
            ChannelDescription.Msp regulatorMsp = new ChannelDescription.Msp(AdminNetwork.REGULATOR.mspId(),
                    List.of(ByteString.copyFromUtf8(AdminNetwork.REGULATOR.signingCa().certificatePem())),
                    List.of(ByteString.copyFromUtf8(AdminNetwork.REGULATOR.tlsCa().certificatePem())),
                    ChannelDescription.NodeOus.standard());
            ChannelDescription.Msp ordererMsp = new ChannelDescription.Msp(AdminNetwork.ORDERER_ORG.mspId(),
                    List.of(ByteString.copyFromUtf8(AdminNetwork.ORDERER_ORG.signingCa().certificatePem())),
                    List.of(ByteString.copyFromUtf8(AdminNetwork.ORDERER_ORG.tlsCa().certificatePem())),
                    ChannelDescription.NodeOus.standard());
            ByteString tls = ByteString.copyFromUtf8(AdminNetwork.ORDERER_ORG.orderers().get(0).tls().certificatePem());
            return GenesisBlockBuilder.build(new ChannelDescription(CHANNEL,
                    new ChannelDescription.OrdererOrg("OrdererOrg", ordererMsp, List.of("localhost:7050"),
                            List.of(new ChannelDescription.Consenter("localhost", 7050, tls, tls))),
                    List.of(new ChannelDescription.ApplicationOrg("Regulator", regulatorMsp, List.of()),
                            new ChannelDescription.ApplicationOrg("Newcomer", newcomerMsp, List.of())),
                    AdminNetwork.REGULATOR.mspId(), true, ChannelDescription.BatchSettings.defaults(), null, null, null));
        }
    }

    private static Config edit(Config config, UnaryOperator<ConfigGroup> channel) {
        return config.toBuilder().setChannelGroup(channel.apply(config.getChannelGroup())).build();
    }

    private static ConfigGroup sub(ConfigGroup group, String name, UnaryOperator<ConfigGroup> change) {
        return group.toBuilder().putGroups(name, change.apply(group.getGroupsOrThrow(name))).build();
    }

    private static ConfigGroup value(ConfigGroup group, String key, Message value) {
        return group.toBuilder().putValues(key, group.getValuesOrThrow(key).toBuilder().setValue(value.toByteString()).build())
                .build();
    }

    private static ConfigGroup policy(ConfigGroup group, String key, ConfigPolicy like) {
        return group.toBuilder().putPolicies(key, group.getPoliciesOrThrow(key).toBuilder().setPolicy(like.getPolicy()).build())
                .build();
    }

    private static ConfigGroup acl(ConfigGroup application, String resource, String policyRef) {
        try {
            ACLs acls = ACLs.parseFrom(application.getValuesOrThrow("ACLs").getValue()).toBuilder()
                    .putAcls(resource, APIResource.newBuilder().setPolicyRef(policyRef).build()).build();
            return value(application, "ACLs", acls);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
