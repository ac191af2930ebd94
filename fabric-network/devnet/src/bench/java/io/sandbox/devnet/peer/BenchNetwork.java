package io.sandbox.devnet.peer;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;

/** Public face of the test fixture {@link Devnet} for the benchmark (bench source folder only). */
public final class BenchNetwork implements AutoCloseable {

    public static final String CHANNEL = Devnet.CH;
    public static final String CHAINCODE = Devnet.CC;

    private final Devnet net;

    public BenchNetwork(Path dir, Block genesis) throws Exception {
        net = new Devnet(dir, genesis);
    }

    public void deployReferenceChaincode() throws Exception {
        net.deployReferenceChaincode();
    }

    /** A TLS gRPC connection to the Startup peer (the gateway). */
    public ManagedChannel connectStartupGateway() throws Exception {
        return PeerNodeTest.connect(net.stPeer, Devnet.STARTUP);
    }

    public FabricIdentity startupUser() {
        return Devnet.STARTUP.user();
    }

    public long height() {
        return net.stPeer.channel(CHANNEL).height();
    }

    @Override
    public void close() {
        net.close();
    }
}
