package io.sandbox.devnet.admin;

import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/** The reference chaincode as a chaincode-as-a-service server on a free local port, and its CCaaS package. */
public final class ReferenceChaincode implements AutoCloseable {

    public final ChaincodePackage pkg;
    private final ChaincodeServer server;

    public ReferenceChaincode(String label) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        pkg = ChaincodePackage.ccaas(label,
                "{\"address\":\"127.0.0.1:" + port + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}");
        ChaincodeServerProperties properties = new ChaincodeServerProperties();
        properties.setServerAddress(new InetSocketAddress("127.0.0.1", port));
        properties.setTlsEnabled(false);
        properties.validate();
        ContractRouter router = new ContractRouter(new String[] {"-i", pkg.packageId()});
        server = new NettyChaincodeServer(router, properties);
        Thread thread = new Thread(() -> {
            try {
                router.startRouterWithChaincodeServer(server);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "admin-test-chaincode");
        thread.setDaemon(true);
        thread.start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException("chaincode server did not start");
    }

    @Override
    public void close() {
        server.stop();
    }
}
