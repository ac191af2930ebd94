package io.sandbox.chaincode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import org.hyperledger.fabric.shim.ChaincodeServer;

/**
 * The sandbox chaincode as a chaincode-as-a-service server started from Java (the launcher and tests), without TLS,
 * listening on a local address; {@link Main} is the same for its own process.
 */
public final class SandboxChaincodeServer implements AutoCloseable {

    private final ChaincodeServer server;
    private final InetSocketAddress address;

    private SandboxChaincodeServer(ChaincodeServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Starts serving and returns once the port accepts connections.
     *
     * @param address     where to listen
     * @param chaincodeId the installed package's id ({@code label:hash}), as the peer announces it
     */
    public static SandboxChaincodeServer start(InetSocketAddress address, String chaincodeId) throws Exception {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(chaincodeId, "chaincodeId");
        ServerConfig config = new ServerConfig(address.getHostString(), address.getPort(), chaincodeId, false,
                null, null, null, null);
        ChaincodeServer server = Main.start(config);
        // the shim scans the whole class path for contracts (ClassGraph): tens of seconds with a test class path on 2 cores
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 200);
                return new SandboxChaincodeServer(server, address);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    server.stop();
                    throw new IllegalStateException("the chaincode server did not start on " + address, notYet);
                }
                Thread.sleep(25);
            }
        }
    }

    /** Where the server listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop();
    }
}
