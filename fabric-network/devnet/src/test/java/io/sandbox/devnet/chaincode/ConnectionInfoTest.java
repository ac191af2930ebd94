package io.sandbox.devnet.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConnectionInfoTest {

    @Test
    void parsesConnectionJson() {
        ConnectionInfo info = ConnectionInfo.parse("""
                {"address": "sandbox-cc:9999", "dial_timeout": "1m30s", "tls_required": true,
                 "client_auth_required": true, "client_key": "KEY", "client_cert": "CERT", "root_cert": "ROOT",
                 "extra": 1}""");
        assertThat(info).isEqualTo(new ConnectionInfo("sandbox-cc:9999", Duration.ofSeconds(90), true, true, "KEY",
                "CERT", "ROOT"));
        ConnectionInfo plain = ConnectionInfo.parse("{\"address\":\"h:1\"}");
        assertThat(plain.dialTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(plain.tlsRequired()).isFalse();
        assertThat(ConnectionInfo.parse("{\"address\":\"h:1\",\"dial_timeout\":2000000000}").dialTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(io.sandbox.core.fabric.channel.GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(io.sandbox.core.fabric.channel.GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesWhatFabricRefuses() {
        assertThatThrownBy(() -> ConnectionInfo.parse("{}")).hasMessage("chaincode address not provided");
        assertThatThrownBy(() -> ConnectionInfo.parse("{\"address\":\"h:1\",\"tls_required\":true}"))
                .hasMessage("chaincode tls root cert not provided");
        assertThatThrownBy(() -> ConnectionInfo.parse(
                "{\"address\":\"h:1\",\"tls_required\":true,\"client_auth_required\":true,\"root_cert\":\"R\"}"))
                .hasMessage("chaincode tls key not provided");
        assertThatThrownBy(() -> ConnectionInfo.parse("{\"address\":\"h:1\",\"dial_timeout\":\"soon\"}"))
                .hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> ConnectionInfo.parse("[1]")).hasMessageContaining("not a JSON object");
    }

    @Test
    void unreachableServerFailsWithTheAddressInTheError() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ConnectionInfo info = ConnectionInfo.parse("{\"address\":\"127.0.0.1:" + port + "\",\"dial_timeout\":\"300ms\"}");
        assertThatThrownBy(() -> ChaincodeConnection.open(info)).isInstanceOf(ChaincodeException.class)
                .hasMessageContaining("error connecting to chaincode at 127.0.0.1:" + port);
    }
}
