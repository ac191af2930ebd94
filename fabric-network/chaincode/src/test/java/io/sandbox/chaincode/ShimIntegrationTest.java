package io.sandbox.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import org.hyperledger.fabric.shim.ChaincodeServer;
import org.junit.jupiter.api.Test;

/** Chaincode-as-a-service wiring: configuration from the environment, and the shim's gRPC server. */
class ShimIntegrationTest {

    @Test
    void serverConfigFromEnvironment() {
        ServerConfig plain = ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "0.0.0.0:9999",
                "CHAINCODE_ID", "sandbox_1.0:abc"));
        assertThat(plain).isEqualTo(new ServerConfig("0.0.0.0", 9999, "sandbox_1.0:abc", false, null, null, null,
                null));
        ServerConfig tls = ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "[::]:7052",
                "CHAINCODE_ID", "id", "CHAINCODE_TLS_ENABLED", "true", "CHAINCODE_TLS_CERT_FILE", "/tls/cert.pem",
                "CHAINCODE_TLS_KEY_FILE", "/tls/key.pem", "CHAINCODE_TLS_CLIENT_CACERT_FILE", "/tls/ca.pem"));
        assertThat(tls).isEqualTo(new ServerConfig("::", 7052, "id", true, "/tls/cert.pem", "/tls/key.pem", null,
                "/tls/ca.pem"));

        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("CHAINCODE_ID", "id")))
                .hasMessage("CHAINCODE_SERVER_ADDRESS is required");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "host:99999",
                "CHAINCODE_ID", "id"))).hasMessage("CHAINCODE_SERVER_ADDRESS must end in a port 1-65535, got 'host:99999'");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "9999",
                "CHAINCODE_ID", "id"))).hasMessage("CHAINCODE_SERVER_ADDRESS must be host:port, got '9999'");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "h:1")))
                .hasMessage("CHAINCODE_ID is required");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "h:1", "CHAINCODE_ID", "i",
                "CHAINCODE_TLS_ENABLED", "true", "CHAINCODE_TLS_KEY_FILE", "k")))
                .hasMessage("CHAINCODE_TLS_CERT_FILE is required");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("CHAINCODE_SERVER_ADDRESS", "h:1", "CHAINCODE_ID", "i",
                "CHAINCODE_TLS_ENABLED", "yes"))).hasMessage("CHAINCODE_TLS_ENABLED must be true or false, got 'yes'");
    }

    @Test
    void chaincodeServerListensAndStops() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ChaincodeServer server = Main.start(ServerConfig.fromEnv(Map.of(
                "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:" + port, "CHAINCODE_ID", "sandbox:test")));
        try {
            // the shim scans the whole class path for contracts before it listens: tens of seconds on a busy machine
            assertThat(connects(port, 60_000)).as("gRPC server accepting on %d", port).isTrue();
        } finally {
            server.stop();
        }
    }

    private static boolean connects(int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }
}
