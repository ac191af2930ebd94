package io.sandbox.chaincode;

import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Runs the sandbox chaincode as a service: the peer connects to us (Fabric's chaincode-as-a-service / "ccaas"
 * external builder), we never dial the peer. Configuration is from the environment, see {@link ServerConfig}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sandbox-chaincode: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChaincodeServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "sandbox-chaincode-shutdown"));
    }

    /**
     * Builds the contract router and starts the gRPC server. The shim's start blocks until the server shuts
     * down, so it runs on its own (non-daemon) thread; the returned server stops it.
     */
    static ChaincodeServer start(ServerConfig config) throws Exception {
        ContractRouter router = new ContractRouter(new String[] {"-i", config.chaincodeId()});
        ChaincodeServer server = new NettyChaincodeServer(router, config.toProperties());
        Thread thread = new Thread(() -> {
            try {
                router.startRouterWithChaincodeServer(server);
            } catch (Exception e) {
                System.err.println("sandbox-chaincode: server failed: " + e);
                System.exit(1);
            }
        }, "sandbox-chaincode-server");
        thread.start();
        return server;
    }
}
