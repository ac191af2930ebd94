package io.sandbox.devnet.orderer;

import static io.sandbox.devnet.orderer.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ChainVerification;
import io.sandbox.core.fabric.block.ChainVerifier;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrdererNodeTest {

    @TempDir
    Path dataDir;

    OrdererNode node;
    ManagedChannel grpc;

    OrdererNode start() {
        return OrdererNode.start(OrdererConfig.of(dataDir, ORDERER0, List.of(ORDERER_ORG.tlsCa().certificate())));
    }

    @AfterEach
    void stop() throws Exception {
        if (grpc != null) {
            grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void participationApiJoinsListsAndRemovesChannels() throws Exception {
        node = start();
        HttpClient admin = adminClient(ORDERER_ORG.admin());

        HttpResponse<String> empty = send(admin, node, "GET", "/participation/v1/channels");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEqualTo("{\"systemChannel\":null,\"channels\":null}\n");

        Block genesis = genesis("sandbox-one", null);
        HttpResponse<String> joined = join(admin, node, genesis.toByteArray());
        assertThat(joined.statusCode()).isEqualTo(201);
        assertThat(joined.headers().firstValue("Location")).hasValue("/participation/v1/channels/sandbox-one");
        assertThat(joined.body()).isEqualTo("{\"name\":\"sandbox-one\",\"url\":\"/participation/v1/channels/sandbox-one\","
                + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":1}\n");

        HttpResponse<String> again = join(admin, node, genesis.toByteArray());
        assertThat(again.statusCode()).isEqualTo(405);
        assertThat(again.headers().firstValue("Allow")).hasValue("GET, DELETE");
        assertThat(again.body()).isEqualTo("{\"error\":\"cannot join: channel already exists\"}\n");

        Block notConfig = genesis.toBuilder().setData(genesis.getData().toBuilder().addData(ByteString.copyFromUtf8("x"))).build();
        HttpResponse<String> bad = join(admin, node, notConfig.toByteArray());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\":\"invalid join block: block is not a config block\"}\n");
        assertThat(join(admin, node, new byte[] {(byte) 0xff, 1, 2}).statusCode()).isEqualTo(400);

        assertThat(join(admin, node, genesis("sandbox-two", null).toByteArray()).statusCode()).isEqualTo(201);
        HttpResponse<String> list = send(admin, node, "GET", "/participation/v1/channels");
        assertThat(list.body()).isEqualTo("{\"systemChannel\":null,\"channels\":["
                + "{\"name\":\"sandbox-one\",\"url\":\"/participation/v1/channels/sandbox-one\"},"
                + "{\"name\":\"sandbox-two\",\"url\":\"/participation/v1/channels/sandbox-two\"}]}\n");

        HttpResponse<String> one = send(admin, node, "GET", "/participation/v1/channels/sandbox-two");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"name\":\"sandbox-two\"", "\"height\":1");
        HttpResponse<String> missing = send(admin, node, "GET", "/participation/v1/channels/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"channel does not exist\"}\n");
        assertThat(send(admin, node, "GET", "/participation/v1/channels/Bad_Id").body())
                .isEqualTo("{\"error\":\"invalid channel ID: 'Bad_Id' contains illegal characters\"}\n");

        HttpResponse<String> put = send(admin, node, "PUT", "/participation/v1/channels");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        HttpResponse<String> json = admin.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(node.adminUrl() + "/participation/v1/channels"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).isEqualTo("{\"error\":\"unsupported Content-Type: [application/json]\"}\n");

        assertThat(send(admin, node, "DELETE", "/participation/v1/channels/sandbox-two").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send(admin, node, "DELETE", "/participation/v1/channels/sandbox-two");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("{\"error\":\"cannot remove: channel does not exist\"}\n");
        assertThat(node.channels()).containsExactly("sandbox-one");
        assertThat(dataDir.resolve("chains/sandbox-two")).doesNotExist();

        // no client certificate: the TLS handshake is refused
        HttpClient anonymous = adminClient(null);
        assertThatThrownBy(() -> send(anonymous, node, "GET", "/participation/v1/channels")).isInstanceOf(java.io.IOException.class);
        // a client certificate from a CA the admin API does not trust
        HttpClient stranger = adminClient(OUTSIDER.admin());
        assertThatThrownBy(() -> send(stranger, node, "GET", "/participation/v1/channels")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void broadcastCutsSignedBlocksAndDeliverStreamsThem() throws Exception {
        node = start();
        HttpClient admin = adminClient(ORDERER_ORG.admin());
        assertThat(join(admin, node, genesis("sandbox-one", batch(Duration.ofMillis(200), 10)).toByteArray()).statusCode())
                .isEqualTo(201);
        grpc = grpc(node);

        List<BroadcastResponse> ok = broadcast(grpc, List.of(
                transaction(STARTUP.user(), "sandbox-one", "tx-1"),
                transaction(STARTUP.user(), "sandbox-one", "tx-2"),
                transaction(REGULATOR.admin(), "sandbox-one", "tx-3")));
        assertThat(ok).extracting(BroadcastResponse::getStatus).containsOnly(Status.SUCCESS);

        Delivered first = deliver(grpc, STARTUP.user(), "sandbox-one", specified(1), specified(1), SeekBehavior.BLOCK_UNTIL_READY, null);
        assertThat(first.status()).isEqualTo(Status.SUCCESS);
        assertThat(first.blocks()).hasSize(1);
        Block block1 = first.blocks().get(0);
        assertThat(block1.getData().getDataCount()).isEqualTo(3);
        assertThat(Envelope.parseFrom(block1.getData().getData(0)).getSignature()).isNotEmpty();

        Delivered all = deliver(grpc, REGULATOR.user(), "sandbox-one", oldest(), newest(), SeekBehavior.FAIL_IF_NOT_READY, null);
        assertThat(all.status()).isEqualTo(Status.SUCCESS);
        assertThat(all.blocks()).hasSize(2);
        ChainVerification verification = ChainVerifier.verify(all.blocks());
        assertThat(verification.valid()).as(verification.failure().map(f -> f.message()).orElse("")).isTrue();
        assertOrdererSignature(all.blocks().get(1));

        // stop honoured: only block 0
        Delivered onlyGenesis = deliver(grpc, STARTUP.user(), "sandbox-one", oldest(), oldest(), SeekBehavior.BLOCK_UNTIL_READY, null);
        assertThat(onlyGenesis.blocks()).extracting(b -> b.getHeader().getNumber()).containsExactly(0L);

        // not ready yet
        assertThat(deliver(grpc, STARTUP.user(), "sandbox-one", specified(5), specified(5), SeekBehavior.FAIL_IF_NOT_READY, null).status())
                .isEqualTo(Status.NOT_FOUND);
        // BLOCK_UNTIL_READY waits for the next block
        Delivered waited = deliver(grpc, STARTUP.user(), "sandbox-one", specified(2), specified(2), SeekBehavior.BLOCK_UNTIL_READY,
                () -> CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(100);
                        broadcast(grpc, List.of(transaction(STARTUP.user(), "sandbox-one", "tx-4")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
        assertThat(waited.status()).isEqualTo(Status.SUCCESS);
        assertThat(waited.blocks()).hasSize(1);
        assertThat(ChainVerifier.verify(io.sandbox.core.fabric.block.ChainAnchor.of(block1.getHeader()), waited.blocks()).valid()).isTrue();

        // an organisation outside the channel
        List<BroadcastResponse> refused = broadcast(grpc, List.of(transaction(OUTSIDER.user(), "sandbox-one", "evil")));
        assertThat(refused.get(0).getStatus()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused.get(0).getInfo()).endsWith(": permission denied");
        assertThat(deliver(grpc, OUTSIDER.user(), "sandbox-one", oldest(), newest(), SeekBehavior.BLOCK_UNTIL_READY, null).status())
                .isEqualTo(Status.FORBIDDEN);
        // a tampered signature
        Envelope good = transaction(STARTUP.user(), "sandbox-one", "tx");
        Envelope tampered = good.toBuilder().setPayload(good.getPayload().concat(ByteString.copyFromUtf8("!"))).build();
        assertThat(broadcast(grpc, List.of(tampered)).get(0).getStatus()).isEqualTo(Status.BAD_REQUEST); // unparsable payload
        // a member's identity claimed, but signed with another member's key
        Envelope claimed = transaction(REGULATOR.admin(), "sandbox-one", "forged");
        Envelope forged = claimed.toBuilder().setSignature(ByteString.copyFrom(STARTUP.user().gatewaySigner().sign(
                java.security.MessageDigest.getInstance("SHA-256").digest(claimed.getPayload().toByteArray())))).build();
        assertThat(broadcast(grpc, List.of(forged)).get(0).getStatus()).isEqualTo(Status.FORBIDDEN);
        // unknown channel: Fabric without a system channel answers BAD_REQUEST on Broadcast, NOT_FOUND on Deliver
        BroadcastResponse unknown = broadcast(grpc, List.of(transaction(STARTUP.user(), "nowhere", "tx"))).get(0);
        assertThat(unknown.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(unknown.getInfo()).isEqualTo("channel creation request not allowed because the orderer system channel is not defined");
        assertThat(deliver(grpc, STARTUP.user(), "nowhere", oldest(), newest(), SeekBehavior.BLOCK_UNTIL_READY, null).status())
                .isEqualTo(Status.NOT_FOUND);
        // an empty config update names no channel
        BroadcastResponse update = broadcast(grpc, List.of(
                signedEnvelope(REGULATOR.admin(), "sandbox-one", HeaderType.CONFIG_UPDATE, ByteString.EMPTY))).get(0);
        assertThat(update.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(update.getInfo()).isEqualTo("error applying config update to existing channel 'sandbox-one': error "
                + "authorizing update: ConfigUpdate for channel '' but envelope for channel 'sandbox-one'");
    }

    @Test
    void cutsOnMaxMessageCountAndSurvivesRestart() throws Exception {
        node = start();
        HttpClient admin = adminClient(ORDERER_ORG.admin());
        join(admin, node, genesis("sandbox-one", batch(Duration.ofSeconds(30), 2)).toByteArray());
        grpc = grpc(node);
        broadcast(grpc, List.of(transaction(STARTUP.user(), "sandbox-one", "a"), transaction(STARTUP.user(), "sandbox-one", "b"),
                transaction(STARTUP.user(), "sandbox-one", "c"), transaction(STARTUP.user(), "sandbox-one", "d")));
        // two full blocks, cut without waiting for the 30 s timeout
        Delivered cut = deliver(grpc, STARTUP.user(), "sandbox-one", oldest(), specified(2), SeekBehavior.BLOCK_UNTIL_READY, null);
        assertThat(cut.blocks()).extracting(b -> b.getData().getDataCount()).containsExactly(1, 2, 2);
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        node.close();

        node = start();
        assertThat(node.channels()).containsExactly("sandbox-one");
        assertThat(node.height("sandbox-one")).isEqualTo(3);
        assertThat(send(adminClient(ORDERER_ORG.admin()), node, "GET", "/participation/v1/channels/sandbox-one").body())
                .contains("\"height\":3");
        grpc = grpc(node);
        broadcast(grpc, List.of(transaction(STARTUP.user(), "sandbox-one", "e"), transaction(STARTUP.user(), "sandbox-one", "f")));
        Delivered after = deliver(grpc, STARTUP.user(), "sandbox-one", oldest(), specified(3), SeekBehavior.BLOCK_UNTIL_READY, null);
        assertThat(after.blocks()).hasSize(4);
        assertThat(ChainVerifier.verify(after.blocks()).valid()).isTrue();
        assertThat(after.blocks().subList(0, 3)).isEqualTo(cut.blocks());
    }

    /** SIGNATURES: value OrdererBlockMetadata, signed over value || signature header || DER(header) by orderer0. */
    static void assertOrdererSignature(Block block) throws Exception {
        assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)).isEmpty();
        Metadata lastConfig = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE));
        assertThat(LastConfig.parseFrom(lastConfig.getValue()).getIndex()).isZero();
        Metadata signatures = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        assertThat(OrdererBlockMetadata.parseFrom(signatures.getValue()).getLastConfig().getIndex()).isZero();
        assertThat(signatures.getSignaturesCount()).isEqualTo(1);
        MetadataSignature signature = signatures.getSignatures(0);
        SerializedIdentity creator = SerializedIdentity.parseFrom(SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator());
        assertThat(creator.getMspid()).isEqualTo("OrdererMSP");
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(ORDERER0.signing().certificate());
        verifier.update(signatures.getValue().toByteArray());
        verifier.update(signature.getSignatureHeader().toByteArray());
        verifier.update(BlockHashes.headerBytes(block.getHeader()));
        assertThat(verifier.verify(signature.getSignature().toByteArray())).isTrue();
    }
}
