package io.sandbox.devnet.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 3: the real fabric-gateway client against the devnet's gateway (Startup peer). */
class GatewayClientTest {

    @TempDir
    Path dir;

    @Test
    void fabricGatewayClientSubmitsEvaluatesStreamsEventsAndSeesCommitFailures() throws Exception {
        try (Devnet net = new Devnet(dir)) {
            net.deployReferenceChaincode();
            FabricIdentity user = Devnet.STARTUP.user();
            ManagedChannel grpc = PeerNodeTest.connect(net.stPeer, Devnet.STARTUP);
            try (org.hyperledger.fabric.client.Gateway gateway = org.hyperledger.fabric.client.Gateway.newInstance()
                    .identity(user.gatewayIdentity()).signer(user.gatewaySigner()).connection(grpc)
                    .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .connect()) {
                Network network = gateway.getNetwork(Devnet.CH);
                Contract contract = network.getContract(Devnet.CC);

                // submit and evaluate
                String onboarded = utf8(contract.submitTransaction("onboardCustomer", "cust-a", "DE", "LOW"));
                assertThat(onboarded).contains("cust-a");
                assertThat(utf8(contract.evaluateTransaction("getCustomer", "cust-a"))).contains("cust-a").contains("DE");
                assertThat(net.regPeer.channel(Devnet.CH).state().range(Devnet.CC, "", "")).isNotEmpty();

                // a chaincode error on evaluate: the gateway's status with details
                assertThatThrownBy(() -> contract.evaluateTransaction("getCustomer", "nobody"))
                        .isInstanceOf(GatewayException.class)
                        .satisfies(e -> {
                            GatewayException ge = (GatewayException) e;
                            assertThat(ge.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNKNOWN);
                            assertThat(ge.getDetails()).hasSize(1);
                            assertThat(ge.getDetails().get(0).getMspId()).isEqualTo("StartupMSP");
                        });

                // chaincode events from block 0
                try (CloseableIterator<ChaincodeEvent> events = network.newChaincodeEventsRequest(Devnet.CC)
                        .startBlock(0).build().getEvents()) {
                    ChaincodeEvent event = events.next();
                    assertThat(event.getEventName()).isEqualTo("sandbox.v1");
                    assertThat(event.getChaincodeName()).isEqualTo(Devnet.CC);
                    assertThat(utf8(event.getPayload())).contains("cust-a");
                }

                // block events from block 0
                try (CloseableIterator<Block> blocks = network.newBlockEventsRequest().startBlock(0).build().getEvents()) {
                    List<Long> numbers = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        numbers.add(blocks.next().getHeader().getNumber());
                    }
                    assertThat(numbers).containsExactly(0L, 1L, 2L);
                }

                // MVCC: two transfers endorsed on the same balance; the second to commit is invalid
                contract.submitTransaction("onboardCustomer", "cust-b", "FR", "LOW");
                contract.submitTransaction("issueAsset", "bond-1", "DEPOSIT_TOKEN", "EUR", "100", "cust-a");
                Transaction first = contract.newProposal("transfer").addArguments("bond-1", "cust-a", "cust-b", "60")
                        .build().endorse();
                Transaction second = contract.newProposal("transfer").addArguments("bond-1", "cust-a", "cust-b", "60")
                        .build().endorse();
                first.submit();
                assertThatThrownBy(second::submit).isInstanceOf(CommitException.class)
                        .satisfies(e -> assertThat(((CommitException) e).getCode())
                                .isEqualTo(TxValidationCode.MVCC_READ_CONFLICT));
                assertThat(utf8(contract.evaluateTransaction("getBalance", "cust-a", "bond-1"))).contains("40.00");

                // concurrent submissions
                Transaction c1 = contract.newProposal("transfer").addArguments("bond-1", "cust-a", "cust-b", "30")
                        .build().endorse();
                Transaction c2 = contract.newProposal("transfer").addArguments("bond-1", "cust-a", "cust-b", "30")
                        .build().endorse();
                SubmittedTransaction s1 = c1.submitAsync();
                SubmittedTransaction s2 = c2.submitAsync();
                Status st1 = s1.getStatus();
                Status st2 = s2.getStatus();
                assertThat(List.of(st1.getCode(), st2.getCode()))
                        .containsExactlyInAnyOrder(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);

                // endorsement policy failure: only the Startup org endorses
                Transaction lone = contract.newProposal("onboardCustomer").addArguments("cust-z", "DE", "LOW")
                        .setEndorsingOrganizations("StartupMSP").build().endorse();
                assertThatThrownBy(lone::submit).isInstanceOf(CommitException.class)
                        .satisfies(e -> assertThat(((CommitException) e).getCode())
                                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE));

                // the raw service: Fabric's status codes
                var stub = org.hyperledger.fabric.protos.gateway.GatewayGrpc.newBlockingStub(grpc)
                        .withDeadlineAfter(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> stub.submit(org.hyperledger.fabric.protos.gateway.SubmitRequest.newBuilder()
                        .setTransactionId("x").setChannelId(Devnet.CH)
                        .setPreparedTransaction(org.hyperledger.fabric.protos.common.Envelope.newBuilder()
                                .setPayload(com.google.protobuf.ByteString.copyFromUtf8("p"))).build()))
                        .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).isEqualTo("prepared transaction must be signed");
                        });
                FabricIdentity outsider = PeerNodeTest.OUTSIDER.user();
                var request = org.hyperledger.fabric.protos.gateway.CommitStatusRequest.newBuilder()
                        .setChannelId(Devnet.CH).setTransactionId(first.getTransactionId())
                        .setIdentity(io.sandbox.devnet.peer.endorsement.Endorsements.serializedIdentity(outsider))
                        .build().toByteString();
                assertThatThrownBy(() -> stub.commitStatus(org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest
                        .newBuilder().setRequest(request).setSignature(io.sandbox.devnet.peer.endorsement.Endorsements
                                .sign(outsider, request.toByteArray())).build()))
                        .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e ->
                                assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED));
            } finally {
                grpc.shutdownNow();
            }
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
