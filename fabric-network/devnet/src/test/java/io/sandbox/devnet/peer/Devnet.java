package io.sandbox.devnet.peer;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.devnet.orderer.OrdererConfig;
import io.sandbox.devnet.orderer.OrdererNode;
import io.sandbox.devnet.orderer.OrdererTestAccess;
import io.sandbox.devnet.peer.endorsement.ChaincodeEndorser;
import io.sandbox.devnet.peer.endorsement.Endorsements;
import io.sandbox.devnet.peer.state.TxRecord;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Test network: an orderer, a Regulator and a Startup peer (each with a {@link ChaincodeEndorser} and the other as
 * gateway peer) joined to channel {@code sandbox}, and the reference chaincode running in-process as a CCaaS
 * server, installed, approved and committed as {@code sandbox} through proposals and broadcasts.
 */
final class Devnet implements AutoCloseable {

    static final OrganisationMaterial ORDERER_ORG = OrdererTestAccess.ORDERER_ORG;
    static final OrganisationMaterial REGULATOR = OrdererTestAccess.REGULATOR;
    static final OrganisationMaterial STARTUP = OrdererTestAccess.STARTUP;
    static final String CH = PeerNodeTest.CH;
    static final String CC = "sandbox";
    private static final SecureRandom RANDOM = new SecureRandom();

    final OrdererNode orderer;
    final PeerNode regPeer;
    final PeerNode stPeer;
    final ManagedChannel reg;
    final ManagedChannel st;
    final ManagedChannel ord;
    final List<ChaincodeEndorser> endorsers = new ArrayList<>();
    ChaincodeServer chaincodeServer;
    String packageId;

    Devnet(Path dir) throws Exception {
        this(dir, PeerNodeTest.genesis());
    }

    /** The same network on a channel made from {@code genesis} (the benchmark passes the devnet's default batch settings). */
    Devnet(Path dir, Block genesis) throws Exception {
        orderer = OrdererNode.start(OrdererConfig.of(dir.resolve("orderer"), ORDERER_ORG.orderers().get(0),
                List.of(ORDERER_ORG.tlsCa().certificate())));
        var admin = OrdererTestAccess.adminClient(ORDERER_ORG.admin(), ORDERER_ORG);
        if (OrdererTestAccess.join(admin, orderer, genesis.toByteArray()).statusCode() != 201) {
            throw new IllegalStateException("orderer join failed");
        }
        regPeer = PeerNode.start(PeerNodeTest.peerConfig(dir.resolve("reg"), REGULATOR, orderer));
        stPeer = PeerNode.start(PeerNodeTest.peerConfig(dir.resolve("st"), STARTUP, orderer));
        endorsers.add(ChaincodeEndorser.attach(regPeer));
        endorsers.add(ChaincodeEndorser.attach(stPeer));
        regPeer.gatewayPeers().add(stPeer, List.of(STARTUP.tlsCa().certificate()));
        stPeer.gatewayPeers().add(regPeer, List.of(REGULATOR.tlsCa().certificate()));
        reg = PeerNodeTest.connect(regPeer, REGULATOR);
        st = PeerNodeTest.connect(stPeer, STARTUP);
        ord = OrdererTestAccess.grpc(orderer, ORDERER_ORG);
        check(PeerNodeTest.invoke(reg, REGULATOR.admin(), "", "cscc", utf8("JoinChain"), genesis.toByteString()));
        check(PeerNodeTest.invoke(st, STARTUP.admin(), "", "cscc", utf8("JoinChain"), genesis.toByteString()));
    }

    static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static ProposalResponse check(ProposalResponse r) {
        if (r.getResponse().getStatus() != 200) {
            throw new AssertionError("status " + r.getResponse().getStatus() + ": " + r.getResponse().getMessage());
        }
        return r;
    }

    /** A signed proposal by {@code id}. */
    static SignedProposal proposal(FabricIdentity id, String channelId, String cc, List<ByteString> args) {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ByteString creator = Endorsements.serializedIdentity(id);
        ChannelHeader chdr = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId).setTxId(UnpackedProposal.computeTxId(ByteString.copyFrom(nonce), creator))
                .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000))
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(ChaincodeID.newBuilder().setName(cc))
                        .build().toByteString()).build();
        ChaincodeInvocationSpec cis = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                .setChaincodeId(ChaincodeID.newBuilder().setName(cc))
                .setInput(ChaincodeInput.newBuilder().addAllArgs(args))).build();
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(chdr.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creator)
                                .setNonce(ByteString.copyFrom(nonce)).build().toByteString()).build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().setInput(cis.toByteString()).build().toByteString())
                .build();
        return SignedProposal.newBuilder().setProposalBytes(proposal.toByteString())
                .setSignature(Endorsements.sign(id, proposal.toByteArray())).build();
    }

    static String txId(SignedProposal sp) throws Exception {
        Proposal p = Proposal.parseFrom(sp.getProposalBytes());
        return ChannelHeader.parseFrom(Header.parseFrom(p.getHeader()).getChannelHeader()).getTxId();
    }

    static ProposalResponse send(ManagedChannel peer, SignedProposal sp) {
        return EndorserGrpc.newBlockingStub(peer).withDeadlineAfter(30, TimeUnit.SECONDS).processProposal(sp);
    }

    /** Endorses on the given peers, assembles and signs the transaction, broadcasts it; returns the txid. */
    String submit(FabricIdentity id, String cc, List<ManagedChannel> peers, String... args) throws Exception {
        List<ByteString> bytes = new ArrayList<>();
        for (String a : args) {
            bytes.add(utf8(a));
        }
        return submit(id, cc, peers, bytes);
    }

    String submit(FabricIdentity id, String cc, List<ManagedChannel> peers, List<ByteString> args) throws Exception {
        SignedProposal sp = proposal(id, CH, cc, args);
        List<ProposalResponse> responses = new ArrayList<>();
        for (ManagedChannel p : peers) {
            responses.add(check(send(p, sp)));
        }
        Envelope tx = Endorsements.signedTransaction(Proposal.parseFrom(sp.getProposalBytes()), responses, id);
        List<BroadcastResponse> answers = OrdererTestAccess.broadcast(ord, List.of(tx));
        if (answers.get(0).getStatus() != org.hyperledger.fabric.protos.common.Status.SUCCESS) {
            throw new AssertionError("broadcast: " + answers);
        }
        return txId(sp);
    }

    /** Waits until {@code peer} committed {@code txId}. */
    static TxRecord awaitTx(PeerNode peer, String txId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            PeerChannel channel = peer.channel(CH);
            var record = channel == null ? java.util.Optional.<TxRecord>empty() : channel.state().transaction(txId);
            if (record.isPresent()) {
                return record.get();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("transaction " + txId + " not committed on " + peer.config().mspId());
    }

    /**
     * Starts the reference chaincode, one chaincode-as-a-service server per peer (as Fabric's test-network runs one
     * CCaaS container per peer), installs each org's package on its peer, approves (both orgs, each its own
     * package) and commits it.
     *
     * <p>One server per peer, not one shared: the Java shim (fabric-chaincode-shim 2.5) keeps its handshake state
     * (CREATED, ESTABLISHED, READY) in the {@code ChaincodeBase} shared by every stream of a server, so a second
     * peer's REGISTER sets it back to CREATED, and until that stream is READY the shim silently drops every
     * message arriving on the other streams: a transaction never starts, or a shim worker waits forever for the
     * answer to its GET_STATE. Under load this showed as "timeout expired while executing transaction".
     */
    void deployReferenceChaincode() throws Exception {
        String regPackage = startChaincodeServer("devnet-test-chaincode-regulator");
        String stPackage = startChaincodeServer("devnet-test-chaincode-startup");
        packageId = stPackage;
        for (var target : List.of(new Object[] {reg, REGULATOR, regPackage}, new Object[] {st, STARTUP, stPackage})) {
            ByteString install = InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(
                    packages.get((String) target[2]).bytes())).build().toByteString();
            ProposalResponse r = check(send((ManagedChannel) target[0], proposal(((OrganisationMaterial) target[1]).admin(),
                    "", "_lifecycle", List.of(utf8("InstallChaincode"), install))));
            if (!InstallChaincodeResult.parseFrom(r.getResponse().getPayload()).getPackageId().equals(target[2])) {
                throw new AssertionError("package id");
            }
        }
        String a1 = submit(REGULATOR.admin(), "_lifecycle", List.of(reg),
                List.of(utf8("ApproveChaincodeDefinitionForMyOrg"), approve(regPackage)));
        String a2 = submit(STARTUP.admin(), "_lifecycle", List.of(st),
                List.of(utf8("ApproveChaincodeDefinitionForMyOrg"), approve(stPackage)));
        for (String tx : List.of(a1, a2)) {
            for (PeerNode p : List.of(regPeer, stPeer)) {
                TxRecord record = awaitTx(p, tx);
                if (record.validationCode() != TxValidationCode.VALID) {
                    throw new AssertionError("approval " + record);
                }
            }
        }
        ByteString commit = CommitChaincodeDefinitionArgs.newBuilder().setName(CC).setVersion("1.0").setSequence(1)
                .build().toByteString();
        String c = submit(REGULATOR.admin(), "_lifecycle", List.of(reg, st),
                List.of(utf8("CommitChaincodeDefinition"), commit));
        for (PeerNode p : List.of(regPeer, stPeer)) {
            TxRecord record = awaitTx(p, c);
            if (record.validationCode() != TxValidationCode.VALID) {
                throw new AssertionError("commit " + record);
            }
        }
    }

    private final java.util.Map<String, ChaincodePackage> packages = new java.util.HashMap<>();
    private final List<ChaincodeServer> chaincodeServers = new java.util.ArrayList<>();

    private static ByteString approve(String packageId) {
        return ApproveChaincodeDefinitionForMyOrgArgs.newBuilder().setName(CC).setVersion("1.0")
                .setSequence(1).setSource(ChaincodeSource.newBuilder().setLocalPackage(
                        ChaincodeSource.Local.newBuilder().setPackageId(packageId))).build().toByteString();
    }

    /** Starts one reference chaincode server on a free port; returns its package id. */
    private String startChaincodeServer(String threadName) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ChaincodePackage pkg = ChaincodePackage.ccaas("sandbox_1.0",
                "{\"address\":\"127.0.0.1:" + port + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}");
        ChaincodeServerProperties properties = new ChaincodeServerProperties();
        properties.setServerAddress(new InetSocketAddress("127.0.0.1", port));
        properties.setTlsEnabled(false);
        properties.validate();
        ContractRouter router = new ContractRouter(new String[] {"-i", pkg.packageId()});
        ChaincodeServer server = new NettyChaincodeServer(router, properties);
        chaincodeServers.add(server);
        if (chaincodeServer == null) {
            chaincodeServer = server;
        }
        Thread thread = new Thread(() -> {
            try {
                router.startRouterWithChaincodeServer(server);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        awaitListening(port);
        packages.put(pkg.packageId(), pkg);
        return pkg.packageId();
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(25);
            }
        }
    }

    @Override
    public void close() {
        endorsers.forEach(ChaincodeEndorser::close);
        ord.shutdownNow();
        reg.shutdownNow();
        st.shutdownNow();
        regPeer.close();
        stPeer.close();
        orderer.close();
        chaincodeServers.forEach(ChaincodeServer::stop);
    }
}
