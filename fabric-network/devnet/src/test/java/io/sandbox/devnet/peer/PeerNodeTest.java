package io.sandbox.devnet.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sandbox.core.fabric.block.ConfigBlocks;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.devnet.orderer.OrdererConfig;
import io.sandbox.devnet.orderer.OrdererNode;
import io.sandbox.devnet.orderer.TlsContexts;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ChannelQueryResponse;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerNodeTest {

    static final OrganisationMaterial ORDERER_ORG = io.sandbox.devnet.orderer.OrdererTestAccess.ORDERER_ORG;
    static final OrganisationMaterial REGULATOR = io.sandbox.devnet.orderer.OrdererTestAccess.REGULATOR;
    static final OrganisationMaterial STARTUP = io.sandbox.devnet.orderer.OrdererTestAccess.STARTUP;
    static final OrganisationMaterial OUTSIDER = io.sandbox.devnet.orderer.OrdererTestAccess.OUTSIDER;
    static final String CH = "sandbox";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    static Block genesis() {
        return io.sandbox.devnet.orderer.OrdererTestAccess.genesis(CH);
    }

    static PeerConfig peerConfig(Path data, OrganisationMaterial org, OrdererNode orderer) {
        return PeerConfig.of(data, org.peers().get(0), List.of(org.signingCa().certificate()),
                orderer.grpcEndpoint(), List.of(ORDERER_ORG.tlsCa().certificate()));
    }

    static ManagedChannel connect(PeerNode peer, OrganisationMaterial org) throws Exception {
        var credentials = TlsChannelCredentials.newBuilder()
                .trustManager(TlsContexts.trustManagers(List.of(org.tlsCa().certificate())).getTrustManagers()).build();
        return NettyChannelBuilder.forAddress("127.0.0.1", peer.port(), credentials).build();
    }

    static ByteString creator(FabricIdentity id) {
        return SerializedIdentity.newBuilder().setMspid(id.mspId())
                .setIdBytes(ByteString.copyFromUtf8(id.signing().certificatePem())).build().toByteString();
    }

    static byte[] sign(FabricIdentity id, byte[] message) throws Exception {
        return id.gatewaySigner().sign(MessageDigest.getInstance("SHA-256").digest(message));
    }

    static ProposalResponse invoke(ManagedChannel ch, FabricIdentity id, String channelId, String cc, ByteString... args)
            throws Exception {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ByteString creator = creator(id);
        ChannelHeader chdr = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId).setTxId(UnpackedProposal.computeTxId(ByteString.copyFrom(nonce), creator))
                .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000))
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(ChaincodeID.newBuilder().setName(cc))
                        .build().toByteString()).build();
        ChaincodeInvocationSpec cis = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                .setChaincodeId(ChaincodeID.newBuilder().setName(cc))
                .setInput(ChaincodeInput.newBuilder().addAllArgs(List.of(args)))).build();
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(chdr.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creator)
                                .setNonce(ByteString.copyFrom(nonce)).build().toByteString()).build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().setInput(cis.toByteString()).build().toByteString())
                .build();
        byte[] bytes = proposal.toByteArray();
        return EndorserGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).processProposal(
                SignedProposal.newBuilder().setProposalBytes(ByteString.copyFrom(bytes))
                        .setSignature(ByteString.copyFrom(sign(id, bytes))).build());
    }

    static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static BlockchainInfo chainInfo(ManagedChannel ch, FabricIdentity id) throws Exception {
        ProposalResponse r = invoke(ch, id, CH, "qscc", utf8("GetChainInfo"), utf8(CH));
        assertThat(r.getResponse().getStatus()).as(r.getResponse().getMessage()).isEqualTo(200);
        return BlockchainInfo.parseFrom(r.getResponse().getPayload());
    }

    static BlockchainInfo awaitHeight(ManagedChannel ch, FabricIdentity id, long height) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        BlockchainInfo info = chainInfo(ch, id);
        while (info.getHeight() < height && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            info = chainInfo(ch, id);
        }
        assertThat(info.getHeight()).isEqualTo(height);
        return info;
    }

    record Delivered(List<DeliverResponse> blocks, Status status) {}

    static Delivered deliver(ManagedChannel ch, FabricIdentity id, boolean filtered, long from, long to) throws Exception {
        SeekInfo seek = SeekInfo.newBuilder()
                .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(from)))
                .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(to)))
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY).build();
        Envelope request = BlockPuller.signedEnvelope(id, CH, HeaderType.DELIVER_SEEK_INFO, seek.toByteString());
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        io.grpc.stub.StreamObserver<DeliverResponse> observer = new io.grpc.stub.StreamObserver<>() {
            public void onNext(DeliverResponse v) { events.add(v); }
            public void onError(Throwable t) { events.add(t); }
            public void onCompleted() { events.add("done"); }
        };
        var stub = DeliverGrpc.newStub(ch);
        var requests = filtered ? stub.deliverFiltered(observer) : stub.deliver(observer);
        requests.onNext(request);
        List<DeliverResponse> blocks = new ArrayList<>();
        while (true) {
            Object e = events.poll(10, TimeUnit.SECONDS);
            if (e instanceof DeliverResponse r && r.getTypeCase() != DeliverResponse.TypeCase.STATUS) {
                blocks.add(r);
            } else if (e instanceof DeliverResponse r) {
                requests.onCompleted();
                return new Delivered(blocks, r.getStatus());
            } else {
                throw new AssertionError("unexpected " + e);
            }
        }
    }

    @Test
    void peersJoinPullServeQueriesAndDeliverAndResumeAfterRestart() throws Exception {
        Block genesis = genesis();
        FabricIdentity o0 = ORDERER_ORG.orderers().get(0);
        try (OrdererNode orderer = OrdererNode.start(OrdererConfig.of(dir.resolve("orderer"), o0,
                List.of(ORDERER_ORG.tlsCa().certificate())))) {
            var admin = io.sandbox.devnet.orderer.OrdererTestAccess.adminClient(ORDERER_ORG.admin(), ORDERER_ORG);
            assertThat(io.sandbox.devnet.orderer.OrdererTestAccess.join(admin, orderer, genesis.toByteArray()).statusCode())
                    .isEqualTo(201);
            PeerNode regPeer = PeerNode.start(peerConfig(dir.resolve("reg"), REGULATOR, orderer));
            PeerNode stPeer = PeerNode.start(peerConfig(dir.resolve("st"), STARTUP, orderer));
            ManagedChannel reg = connect(regPeer, REGULATOR);
            ManagedChannel st = connect(stPeer, STARTUP);
            try {
                // JoinChain: refused for the other org's admin and for a client, accepted for the own admin
                ProposalResponse foreign = invoke(reg, STARTUP.admin(), "", "cscc", utf8("JoinChain"), genesis.toByteString());
                assertThat(foreign.getResponse().getStatus()).isEqualTo(500);
                assertThat(foreign.getResponse().getMessage()).startsWith("access denied for [JoinChain][sandbox]");
                ProposalResponse client = invoke(reg, REGULATOR.user(), "", "cscc", utf8("JoinChain"), genesis.toByteString());
                assertThat(client.getResponse().getMessage()).startsWith("access denied for [JoinChain][sandbox]")
                        .contains("not an admin");
                assertThat(invoke(reg, REGULATOR.admin(), "", "cscc", utf8("JoinChain"), genesis.toByteString())
                        .getResponse().getStatus()).isEqualTo(200);
                assertThat(invoke(st, STARTUP.admin(), "", "cscc", utf8("JoinChain"), genesis.toByteString())
                        .getResponse().getStatus()).isEqualTo(200);
                ProposalResponse channels = invoke(reg, REGULATOR.admin(), "", "cscc", utf8("GetChannels"));
                assertThat(ChannelQueryResponse.parseFrom(channels.getResponse().getPayload()).getChannelsList())
                        .extracting(c -> c.getChannelId()).containsExactly(CH);

                // broadcast two envelopes; both peers reach the same chain
                ManagedChannel ord = io.sandbox.devnet.orderer.OrdererTestAccess.grpc(orderer, ORDERER_ORG);
                Envelope tx1 = BlockPuller.signedEnvelope(REGULATOR.user(), CH, HeaderType.ENDORSER_TRANSACTION, utf8("one"));
                Envelope tx2 = BlockPuller.signedEnvelope(STARTUP.user(), CH, HeaderType.ENDORSER_TRANSACTION, utf8("two"));
                io.sandbox.devnet.orderer.OrdererTestAccess.broadcast(ord, List.of(tx1, tx2));
                ord.shutdownNow();
                long target = waitOrderer(orderer);
                BlockchainInfo a = awaitHeight(reg, REGULATOR.user(), target);
                BlockchainInfo b = awaitHeight(st, STARTUP.user(), target);
                assertThat(a.getCurrentBlockHash()).isEqualTo(b.getCurrentBlockHash());
                assertThat(a.getPreviousBlockHash()).isEqualTo(b.getPreviousBlockHash());

                ProposalResponse block1 = invoke(st, STARTUP.user(), CH, "qscc", utf8("GetBlockByNumber"), utf8(CH), utf8("1"));
                assertThat(Block.parseFrom(block1.getResponse().getPayload()).getHeader().getNumber()).isEqualTo(1);
                String txId1 = ChannelHeader.parseFrom(org.hyperledger.fabric.protos.common.Payload
                        .parseFrom(tx1.getPayload()).getHeader().getChannelHeader()).getTxId();
                ProposalResponse ptx = invoke(reg, REGULATOR.user(), CH, "qscc", utf8("GetTransactionByID"), utf8(CH), utf8(txId1));
                assertThat(ptx.getResponse().getStatus()).isEqualTo(200);
                assertThat(ProcessedTransaction.parseFrom(ptx.getResponse().getPayload()).getTransactionEnvelope())
                        .isEqualTo(tx1);

                // cscc's config queries: the genesis is still the config block; the channel-less form checks the ACL
                // on the named channel, so an unknown one fails there
                ProposalResponse configBlock = invoke(st, STARTUP.user(), "", "cscc", utf8("GetConfigBlock"), utf8(CH));
                assertThat(Block.parseFrom(configBlock.getResponse().getPayload()).getHeader())
                        .isEqualTo(genesis.getHeader());
                ProposalResponse config = invoke(st, STARTUP.user(), CH, "cscc", utf8("GetChannelConfig"), utf8(CH));
                assertThat(Config.parseFrom(config.getResponse().getPayload())).isEqualTo(ConfigBlocks.config(genesis));
                assertThat(invoke(st, STARTUP.user(), "", "cscc", utf8("GetConfigBlock"), utf8("nope")).getResponse()
                        .getMessage()).isEqualTo("access denied for [GetConfigBlock][nope]: "
                                + "Failed to get policy manager for channel [nope]");
                assertThat(invoke(st, STARTUP.user(), "", "cscc", utf8("GetChannelConfig"), utf8("")).getResponse()
                        .getMessage()).isEqualTo("empty channel name provided");

                Delivered full = deliver(reg, REGULATOR.user(), false, 0, target - 1);
                assertThat(full.status()).isEqualTo(Status.SUCCESS);
                assertThat(full.blocks()).hasSize((int) target);
                for (int i = 0; i < target; i++) {
                    // sent as stored, unparsed: the same bytes as the stored block
                    assertThat(full.blocks().get(i).getBlock().toByteArray())
                            .isEqualTo(regPeer.channel(CH).store().blockBytes(i))
                            .isEqualTo(regPeer.channel(CH).store().block(i).toByteArray());
                }
                assertThat(full.blocks().get(1).getBlock().getMetadata().getMetadata(2).size())
                        .isEqualTo(full.blocks().get(1).getBlock().getData().getDataCount());
                Delivered filtered = deliver(st, STARTUP.user(), true, 1, 1);
                assertThat(filtered.status()).isEqualTo(Status.SUCCESS);
                assertThat(filtered.blocks().get(0).getFilteredBlock().getFilteredTransactions(0).getTxid()).isEqualTo(txId1);

                // an outsider org is refused
                assertThat(deliver(reg, OUTSIDER.user(), false, 0, 0).status()).isEqualTo(Status.FORBIDDEN);
                ProposalResponse denied = invoke(reg, OUTSIDER.user(), CH, "qscc", utf8("GetChainInfo"), utf8(CH));
                assertThat(denied.getResponse().getStatus()).isEqualTo(500);
                assertThat(denied.getResponse().getMessage())
                        .isEqualTo("access denied: channel [sandbox] creator org unknown, creator is malformed");
                ProposalResponse unknown = invoke(reg, REGULATOR.user(), CH, "basic", utf8("ReadAsset"));
                assertThat(unknown.getResponse().getMessage()).contains("make sure the chaincode basic has been successfully defined");

                // restart the startup peer, order more, see it resume
                st.shutdownNow();
                stPeer.close();
                ManagedChannel ord2 = io.sandbox.devnet.orderer.OrdererTestAccess.grpc(orderer, ORDERER_ORG);
                io.sandbox.devnet.orderer.OrdererTestAccess.broadcast(ord2, List.of(
                        BlockPuller.signedEnvelope(REGULATOR.user(), CH, HeaderType.ENDORSER_TRANSACTION, utf8("three"))));
                ord2.shutdownNow();
                long target2 = waitOrderer(orderer, target + 1);
                stPeer = PeerNode.start(peerConfig(dir.resolve("st"), STARTUP, orderer));
                st = connect(stPeer, STARTUP);
                assertThat(stPeer.channels()).containsExactly(CH);
                BlockchainInfo c = awaitHeight(st, STARTUP.user(), target2);
                assertThat(c.getCurrentBlockHash()).isEqualTo(awaitHeight(reg, REGULATOR.user(), target2).getCurrentBlockHash());
            } finally {
                reg.shutdownNow();
                st.shutdownNow();
                regPeer.close();
                stPeer.close();
            }
        }
    }

    static long waitOrderer(OrdererNode orderer) throws InterruptedException {
        return waitOrderer(orderer, 2);
    }

    static long waitOrderer(OrdererNode orderer, long min) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (orderer.height(CH) < min && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // let the batch timeout cut any rest
        return orderer.height(CH);
    }
}
