package io.sandbox.devnet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.ChaincodeLifecycle;
import io.sandbox.core.fabric.admin.CommittedChaincode;
import io.sandbox.core.fabric.admin.InstalledChaincode;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.OrdererAdminException;
import io.sandbox.core.fabric.admin.OrdererChannel;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.admin.ProposalException;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.devnet.orderer.TlsContexts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's admin client provisions a startup's channel on the devnet from scratch, with no by-hand protocol
 * code: orderer join, peer joins, chaincode install, approvals, commit; then a fabric-gateway client transacts.
 */
class AdminClientAgainstDevnetTest {

    private static final String CHANNEL = "startup-acme";
    private static final String CC = "sandbox";

    @TempDir
    Path dir;

    @Test
    void provisionsAChannelAndDeploysTheReferenceChaincodeThroughTheAdminClientOnly() throws Exception {
        try (AdminNetwork net = new AdminNetwork(dir);
                ReferenceChaincode chaincode = new ReferenceChaincode("sandbox_1.0");
                PeerAdmin reg = PeerAdmin.connect(net.regulatorPeer(), AdminNetwork.admin(AdminNetwork.REGULATOR));
                PeerAdmin st = PeerAdmin.connect(net.startupPeer(), AdminNetwork.admin(AdminNetwork.STARTUP));
                PeerAdmin intruder = PeerAdmin.connect(net.regulatorPeer(), AdminNetwork.admin(AdminNetwork.STARTUP));
                ChaincodeLifecycle regLifecycle = ChaincodeLifecycle.connect(AdminNetwork.admin(AdminNetwork.REGULATOR),
                        net.regulatorPeer(), net.ordererEndpoint());
                ChaincodeLifecycle stLifecycle = ChaincodeLifecycle.connect(AdminNetwork.admin(AdminNetwork.STARTUP),
                        net.startupPeer(), net.ordererEndpoint());
                OrdererAdmin anonymous = OrdererAdmin.connect(net.ordererEndpoint().withAdminTlsClient(null));
                OrdererAdmin orderer = OrdererAdmin.connect(net.ordererEndpoint())) {
            Block genesis = net.genesis(CHANNEL);

            // the orderer refuses a join without the admin TLS client certificate
            assertThatThrownBy(() -> anonymous.joinChannel(genesis)).isInstanceOf(OrdererAdminException.class);
            assertThat(net.orderer.channels()).doesNotContain(CHANNEL);

            // orderer join through the participation API
            OrdererChannel joined = orderer.joinChannel(genesis);
            assertThat(joined.name()).isEqualTo(CHANNEL);
            assertThat(joined.height()).isGreaterThanOrEqualTo(1);
            assertThat(orderer.listChannels()).extracting(OrdererChannel::name).contains(CHANNEL);
            assertThat(orderer.channel(CHANNEL)).hasValueSatisfying(c -> assertThat(c.status()).isNotBlank());
            assertThat(orderer.channel("no-such-channel")).isEmpty();
            assertThatThrownBy(() -> orderer.joinChannel(genesis)).isInstanceOfSatisfying(OrdererAdminException.class,
                    e -> assertThat(e.httpStatus()).isEqualTo(405));

            // a startup admin cannot join the regulator's peer
            assertThatThrownBy(() -> intruder.joinChannel(genesis)).isInstanceOfSatisfying(ProposalException.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(500);
                        assertThat(e.peerMessage()).contains("access denied");
                    });
            assertThat(reg.channels()).doesNotContain(CHANNEL);

            // peer joins by each org's admin
            reg.joinChannel(genesis);
            st.joinChannel(genesis);
            assertThat(reg.channels()).contains(CHANNEL);
            assertThat(st.channels()).contains(CHANNEL);
            assertThat(st.chainInfo(CHANNEL).height()).isGreaterThanOrEqualTo(1);

            // install on both peers
            String packageId = chaincode.pkg.packageId();
            assertThat(reg.installChaincode(chaincode.pkg.bytes())).isEqualTo(packageId);
            assertThat(st.installChaincode(chaincode.pkg.bytes())).isEqualTo(packageId);
            assertThat(st.queryInstalled()).extracting(InstalledChaincode::packageId).contains(packageId);

            // approve by both, readiness, commit with one peer per org
            ChaincodeDefinition definition = ChaincodeDefinition.of(CC, "1.0", 1);
            regLifecycle.approveForMyOrg(CHANNEL, definition, packageId);
            assertThat(stLifecycle.checkCommitReadiness(CHANNEL, definition))
                    .isEqualTo(Map.of("RegulatorMSP", true, "StartupMSP", false));
            stLifecycle.approveForMyOrg(CHANNEL, definition, packageId);
            assertThat(regLifecycle.checkCommitReadiness(CHANNEL, definition))
                    .isEqualTo(Map.of("RegulatorMSP", true, "StartupMSP", true));
            String commitTx = regLifecycle.commit(CHANNEL, definition, List.of(net.regulatorPeer(), net.startupPeer()));
            assertThat(commitTx).hasSize(64);
            // the commit wait confirmed the regulator's peer (its own); the startup peer may still be pulling it
            long height = net.regPeer.channel(CHANNEL).height();
            assertThat(net.stPeer.channel(CHANNEL).awaitHeight(height, java.time.Duration.ofSeconds(20)))
                    .isGreaterThanOrEqualTo(height);
            CommittedChaincode committed = stLifecycle.queryCommitted(CHANNEL, CC);
            assertThat(committed.version()).isEqualTo("1.0");
            assertThat(committed.sequence()).isEqualTo(1);
            assertThat(committed.approvals()).containsEntry("RegulatorMSP", true).containsEntry("StartupMSP", true);
            assertThat(st.chainInfo(CHANNEL).height()).isGreaterThanOrEqualTo(4);

            // a real fabric-gateway client transacts on the new channel
            FabricIdentity user = AdminNetwork.STARTUP.user();
            ManagedChannel grpc = NettyChannelBuilder.forAddress("127.0.0.1", net.stPeer.port(),
                    TlsChannelCredentials.newBuilder().trustManager(TlsContexts.trustManagers(
                            List.of(AdminNetwork.STARTUP.tlsCa().certificate())).getTrustManagers()).build()).build();
            try (Gateway gateway = Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner())
                    .connection(grpc)
                    .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .connect()) {
                Contract contract = gateway.getNetwork(CHANNEL).getContract(CC);
                String onboarded = new String(contract.submitTransaction("onboardCustomer", "cust-a", "DE", "LOW"),
                        StandardCharsets.UTF_8);
                assertThat(onboarded).contains("cust-a");
            } finally {
                grpc.shutdownNow();
            }

            // the orderer leaves the channel
            orderer.removeChannel(CHANNEL);
            assertThat(orderer.channel(CHANNEL)).isEmpty();
        }
    }
}
