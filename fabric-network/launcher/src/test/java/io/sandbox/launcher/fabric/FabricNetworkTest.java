package io.sandbox.launcher.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.launcher.demo.TrafficSimulator;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command's embedded network: startups provisioned through the admin client, their pilot traffic (valid
 * business and MVCC conflicts) on their own channels, each startup kept off the other's channel, and everything
 * back after a restart.
 */
class FabricNetworkTest {

    @TempDir
    Path home;

    @Test
    void provisionsIsolatedStartupsWhoseTrafficTheRegulatorSeesAndSurvivesARestart() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        KeyVault vault = KeyVault.fromMasterSecret(secret);
        StartupSandbox alpha;
        StartupSandbox beta;
        try (FabricNetwork network = FabricNetwork.start(home, vault)) {
            alpha = network.provision("alpha");
            beta = network.provision("beta");
            assertThat(alpha.channelId()).isEqualTo("sandbox-alpha");
            assertThat(alpha.org().mspId()).isEqualTo("AlphaMSP");

            try (TrafficSimulator traffic = TrafficSimulator.start(List.of(alpha, beta), 25)) {
                while (traffic.submitted() < 60 || traffic.conflictPairs() < 1) {
                    Thread.sleep(200);
                }
            }

            Map<String, Integer> alphaCodes = outcomes(network.profile(), alpha.channelId());
            Map<String, Integer> betaCodes = outcomes(network.profile(), beta.channelId());
            for (Map<String, Integer> codes : List.of(alphaCodes, betaCodes)) {
                assertThat(codes).containsKeys("VALID:onboardCustomer", "VALID:issueAsset");
            }
            Map<String, Integer> both = new HashMap<>(alphaCodes);
            betaCodes.forEach((k, v) -> both.merge(k, v, Integer::sum));
            assertThat(both).containsKeys("VALID:payment", "VALID:transfer", "MVCC_READ_CONFLICT:transfer");

            // beta's client can neither read alpha's channel through the regulator's peer nor reach it on its own
            assertThatThrownBy(() -> evaluate(network.profile().regulatorPeer().openChannel(), beta.org().user(),
                    alpha.channelId())).isInstanceOf(GatewayException.class);
            assertThatThrownBy(() -> evaluate(beta.peer().openChannel(), beta.org().user(), alpha.channelId()))
                    .isInstanceOf(GatewayException.class);
            try (PeerAdmin betaPeer = PeerAdmin.connect(beta.peer(), SandboxAdmin.of(beta))) {
                assertThat(betaPeer.channels()).containsExactly(beta.channelId());
            }
        }

        try (FabricNetwork network = FabricNetwork.start(home, vault)) {
            StartupSandbox again = network.provision("alpha");
            assertThat(again.org().mspId()).isEqualTo("AlphaMSP");
            assertThat(again.org().signingCa().certificate()).isEqualTo(alpha.org().signingCa().certificate());
            assertThat(again.peer().port()).isEqualTo(alpha.peer().port());
            ManagedChannel grpc = again.peer().openChannel();
            try (Gateway gateway = connect(grpc, again.org().user())) {
                byte[] result = gateway.getNetwork(again.channelId()).getContract(FabricNetwork.CHAINCODE)
                        .submitTransaction("onboardCustomer", "after-restart", "DE", "LOW");
                assertThat(new String(result, java.nio.charset.StandardCharsets.UTF_8)).contains("after-restart");
            } finally {
                grpc.shutdownNow();
            }
        }
    }

    /** Counts of {@code <validation code>:<function>} of every endorser transaction on the channel. */
    private static Map<String, Integer> outcomes(NetworkProfile profile, String channelId) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        long height;
        try (PeerAdmin admin = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity())) {
            height = admin.chainInfo(channelId).height();
        }
        ManagedChannel grpc = profile.regulatorPeer().openChannel();
        try (Gateway gateway = Gateway.newInstance().identity(profile.regulatorClientIdentity())
                .signer(profile.regulatorClientSigner()).connection(grpc).connect();
                CloseableIterator<Block> blocks = gateway.getNetwork(channelId).newBlockEventsRequest().startBlock(0)
                        .build().getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            for (long n = 0; n < height; n++) {
                Block block = blocks.next();
                byte[] filter = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                        .toByteArray();
                for (int i = 0; i < block.getData().getDataCount(); i++) {
                    Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                    ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                    if (header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                        continue;
                    }
                    var action = Transaction.parseFrom(payload.getData()).getActions(0);
                    var input = ChaincodeInvocationSpec.parseFrom(ChaincodeProposalPayload.parseFrom(
                            ChaincodeActionPayload.parseFrom(action.getPayload()).getChaincodeProposalPayload())
                            .getInput());
                    String function = input.getChaincodeSpec().getInput().getArgs(0).toStringUtf8();
                    counts.merge(TxValidationCode.forNumber(filter[i]) + ":" + function, 1, Integer::sum);
                }
            }
        } finally {
            grpc.shutdownNow();
        }
        return counts;
    }

    private static void evaluate(ManagedChannel grpc, FabricIdentity user, String channelId) throws GatewayException {
        try (Gateway gateway = connect(grpc, user)) {
            gateway.getNetwork(channelId).getContract(FabricNetwork.CHAINCODE).evaluateTransaction("getCustomer", "x");
        } finally {
            grpc.shutdownNow();
        }
    }

    private static Gateway connect(ManagedChannel grpc, FabricIdentity user) {
        return Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner()).connection(grpc)
                .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .connect();
    }

    /** The startup admin as the admin client takes it. */
    private static final class SandboxAdmin {
        static io.sandbox.core.fabric.admin.AdminIdentity of(StartupSandbox startup) {
            return io.sandbox.core.fabric.network.SandboxChannels.Member.of(startup.name(), startup.org(), startup.peer())
                    .admin();
        }
    }
}
