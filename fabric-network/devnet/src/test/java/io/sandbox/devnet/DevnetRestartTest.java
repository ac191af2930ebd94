package io.sandbox.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.CommittedChaincode;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.block.ChainVerifier;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.fabric.network.PeerProvisioner;
import io.sandbox.core.fabric.network.PeerProvisioningException;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.core.fabric.network.SandboxChannels.Install;
import io.sandbox.core.fabric.network.SandboxChannels.Member;
import io.sandbox.devnet.admin.ReferenceChaincode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devnet as the platform meets it: started from a home directory, a startup's channel provisioned through the
 * admin client only, transactions through fabric-gateway, and the regulator's block events read from block 0 with a
 * checkpointer, then resumed from that checkpoint after the whole devnet was stopped and started again.
 */
class DevnetRestartTest {

    private static final String CHANNEL = "sandbox-acme";

    @TempDir
    Path dir;

    @Test
    void blockEventsResumeFromTheCheckpointAfterARestartWithNoBlockMissedOrRepeated() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        KeyVault vault = KeyVault.fromMasterSecret(secret);
        Path home = dir.resolve("devnet");
        OrganisationMaterial acme = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("AcmeMSP", "acme.sandbox.local", "peer0"));
        List<String> submitted = new ArrayList<>();
        List<Block> received = new ArrayList<>();
        Path checkpointFile = dir.resolve("checkpoint.json");

        // one chaincode server per peer, as on a real network (the Java shim cannot serve two peers at once)
        try (ReferenceChaincode regulatorChaincode = new ReferenceChaincode("sandbox_1.0");
                ReferenceChaincode acmeChaincode = new ReferenceChaincode("sandbox_1.0")) {
            NetworkProfile firstProfile;
            try (Devnet devnet = Devnet.start(home, vault)) {
                firstProfile = devnet.profile();
                // the startup's peer comes up through the devnet's control API, as the onboarding service asks for it
                PeerEndpoint acmePeer = PeerProvisioner.devnet(devnet.profile(), vault).ensurePeer(acme).endpoint();
                assertThat(PeerProvisioner.devnet(devnet.profile(), vault).ensurePeer(acme).endpoint())
                        .isEqualTo(acmePeer);
                SandboxChannels channels = new SandboxChannels(devnet.profile());
                Member startup = Member.of("Acme", acme, acmePeer);
                Block genesis = channels.genesis(CHANNEL, startup,
                        new BatchSettings(Duration.ofMillis(100), 10, 10 * 1024 * 1024, 2 * 1024 * 1024));
                channels.joinOrderer(CHANNEL, genesis);
                channels.joinPeer(CHANNEL, channels.regulator(), genesis);
                channels.joinPeer(CHANNEL, startup, genesis);
                ChaincodeDefinition definition = ChaincodeDefinition.of("sandbox", "1.0", 1);
                List<Install> installs = List.of(new Install(channels.regulator(), regulatorChaincode.pkg),
                        new Install(startup, acmeChaincode.pkg));
                CommittedChaincode committed = channels.deployChaincode(CHANNEL, installs, definition);
                assertThat(committed.approvals()).containsEntry("RegulatorMSP", true).containsEntry("AcmeMSP", true);

                // every step again is a no-op: a provisioning that crashed part-way simply runs them again
                channels.joinOrderer(CHANNEL, genesis);
                channels.joinPeer(CHANNEL, startup, genesis);
                assertThat(channels.deployChaincode(CHANNEL, installs, definition).sequence()).isEqualTo(1);

                submitted.addAll(submit(acmePeer, acme.user(), "before", 5));
                try (FileCheckpointer checkpointer = new FileCheckpointer(checkpointFile)) {
                    readBlocks(devnet.profile(), checkpointer, received, submitted);
                }
            }
            long checkpointed = received.get(received.size() - 1).getHeader().getNumber();

            try (Devnet devnet = Devnet.start(home, vault)) {
                assertThat(devnet.profile().regulatorPeer().port()).isEqualTo(firstProfile.regulatorPeer().port());
                assertThat(devnet.peerOrganisations()).containsExactly("RegulatorMSP", "AcmeMSP");
                submitted.addAll(submit(devnet.peer("AcmeMSP"), acme.user(), "after", 3));
                int before = received.size();
                try (FileCheckpointer checkpointer = new FileCheckpointer(checkpointFile)) {
                    assertThat(checkpointer.getBlockNumber()).hasValue(checkpointed + 1);
                    readBlocks(devnet.profile(), checkpointer, received, submitted);
                }
                assertThat(received.get(before).getHeader().getNumber()).isEqualTo(checkpointed + 1);
            }
        }

        for (int i = 0; i < received.size(); i++) {
            assertThat(received.get(i).getHeader().getNumber()).as("block at position " + i).isEqualTo(i);
        }
        assertThat(ChainVerifier.verify(received).valid()).isTrue();
        List<String> txIds = new ArrayList<>();
        for (Block block : received) {
            txIds.addAll(txIds(block));
        }
        assertThat(txIds).containsAll(submitted);
        assertThat(new HashSet<>(txIds)).hasSameSizeAs(txIds);
    }

    @Test
    void theControlApiRefusesOrganisationsItCannotOpenAndClientsWithoutTheOperatorCertificate() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        OrganisationMaterial acme = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("AcmeMSP", "acme.sandbox.local", "peer0"));
        try (Devnet devnet = Devnet.start(dir.resolve("devnet"), KeyVault.fromMasterSecret(secret))) {
            NetworkProfile profile = devnet.profile();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> PeerProvisioner.devnet(profile, KeyVault.fromMasterSecret(other)).ensurePeer(acme))
                    .isInstanceOf(PeerProvisioningException.class).hasMessageContaining("HTTP 400");
            NetworkProfile anonymous = new NetworkProfile(profile.orderer().withAdminTlsClient(null),
                    profile.ordererOrg(), profile.regulatorMsp(), profile.regulatorPeer(), profile.regulatorAdmin(),
                    profile.regulatorClient(), profile.devnetControl());
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> PeerProvisioner.devnet(anonymous, KeyVault.fromMasterSecret(secret)).ensurePeer(acme))
                    .isInstanceOf(PeerProvisioningException.class).hasMessageContaining("unreachable");
            assertThat(devnet.peerOrganisations()).containsExactly("RegulatorMSP");
        }
    }

    /** Submits {@code count} onboardings through the startup's own peer; returns their transaction ids. */
    private static List<String> submit(PeerEndpoint peer, FabricIdentity user, String prefix, int count) throws Exception {
        ManagedChannel grpc = peer.openChannel();
        List<String> ids = new ArrayList<>();
        try (Gateway gateway = connect(grpc, user)) {
            var contract = gateway.getNetwork(CHANNEL).getContract("sandbox");
            for (int i = 0; i < count; i++) {
                var proposal = contract.newProposal("onboardCustomer")
                        .addArguments(prefix + "-" + i, "DE", "LOW").build();
                var status = proposal.endorse().submitAsync().getStatus();
                assertThat(status.isSuccessful()).isTrue();
                ids.add(status.getTransactionId());
            }
        } finally {
            grpc.shutdownNow();
        }
        return ids;
    }

    /** Reads the regulator's block events from the checkpoint until every submitted transaction was seen. */
    private static void readBlocks(NetworkProfile profile, FileCheckpointer checkpointer, List<Block> received,
            List<String> awaited) throws Exception {
        Set<String> missing = new HashSet<>(awaited);
        received.forEach(b -> txIds(b).forEach(missing::remove));
        ManagedChannel grpc = profile.regulatorPeer().openChannel();
        try (Gateway gateway = Gateway.newInstance().identity(profile.regulatorClientIdentity())
                .signer(profile.regulatorClientSigner()).connection(grpc).connect();
                CloseableIterator<Block> blocks = gateway.getNetwork(CHANNEL).newBlockEventsRequest()
                        .startBlock(0).checkpoint(checkpointer).build()
                        .getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            while (!missing.isEmpty()) {
                Block block = blocks.next();
                received.add(block);
                txIds(block).forEach(missing::remove);
                checkpointer.checkpointBlock(block.getHeader().getNumber());
            }
        } finally {
            grpc.shutdownNow();
        }
    }

    private static List<String> txIds(Block block) {
        List<String> ids = new ArrayList<>();
        for (var data : block.getData().getDataList()) {
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(data).getPayload());
                ids.add(ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }

    private static Gateway connect(ManagedChannel grpc, FabricIdentity user) {
        return Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner()).connection(grpc)
                .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .connect();
    }
}
