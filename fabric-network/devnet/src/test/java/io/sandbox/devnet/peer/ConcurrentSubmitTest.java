package io.sandbox.devnet.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent submits through the gateway from the very first transaction: both peers endorse, and each
 * peer opens its chaincode stream while proposals are already executing. Regression test for the execute
 * timeouts under concurrency: with one chaincode server shared by both peers, the second peer's handshake reset
 * the Java shim's shared state and the shim dropped messages of the first peer's stream (transactions that never
 * complete, "timeout expired while executing transaction"). No timing assertion: every transaction must be VALID.
 */
class ConcurrentSubmitTest {

    @TempDir
    Path dir;

    @Test
    void manyConcurrentSubmitsFromAColdStartAreAllValid() throws Exception {
        int clients = 64;
        int perClient = 4;
        try (Devnet net = new Devnet(dir)) {
            net.deployReferenceChaincode();
            FabricIdentity user = Devnet.STARTUP.user();
            ManagedChannel grpc = PeerNodeTest.connect(net.stPeer, Devnet.STARTUP);
            try (Gateway gateway = Gateway.newInstance().identity(user.gatewayIdentity()).signer(user.gatewaySigner())
                    .connection(grpc)
                    .endorseOptions(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(180, TimeUnit.SECONDS))
                    .connect()) {
                Contract contract = gateway.getNetwork(Devnet.CH).getContract(Devnet.CC);
                List<CompletableFuture<List<TxValidationCode>>> results = new ArrayList<>();
                try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < clients; c++) {
                        int client = c;
                        results.add(CompletableFuture.supplyAsync(() -> {
                            List<TxValidationCode> codes = new ArrayList<>();
                            for (int i = 0; i < perClient; i++) {
                                try {
                                    Status status = contract.newProposal("onboardCustomer")
                                            .addArguments("cold-" + client + "-" + i, "DE", "LOW").build()
                                            .endorse().submitAsync().getStatus();
                                    codes.add(status.getCode());
                                } catch (Exception e) {
                                    String details = e instanceof org.hyperledger.fabric.client.GatewayException g
                                            ? " " + g.getDetails() : "";
                                    throw new IllegalStateException("client " + client + " tx " + i + ": " + e
                                            + details, e);
                                }
                            }
                            return codes;
                        }, executor));
                    }
                    List<TxValidationCode> all = new ArrayList<>();
                    for (CompletableFuture<List<TxValidationCode>> r : results) {
                        all.addAll(r.get(10, TimeUnit.MINUTES));
                    }
                    assertThat(all).hasSize(clients * perClient).containsOnly(TxValidationCode.VALID);
                }
            } finally {
                grpc.shutdownNow();
            }
        }
    }
}
