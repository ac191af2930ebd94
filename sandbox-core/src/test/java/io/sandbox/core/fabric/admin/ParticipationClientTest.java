package io.sandbox.core.fabric.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The participation client against a small mutual-TLS stand-in that answers as Fabric's API does. */
class ParticipationClientTest {

    static final OrganisationMaterial ORDERER_ORG = OrganisationMaterial.generate(
            OrganisationSpec.ordererOrganisation("OrdererMSP", "orderer.sandbox.test", "orderer0"));

    private HttpsServer server;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private volatile byte[] lastUpload;

    @BeforeEach
    void start() throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext context = Tls.sslContext(List.of(ORDERER_ORG.tlsCa().certificate()),
                ORDERER_ORG.orderers().get(0).tls());
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext(ParticipationClient.CHANNELS, this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.length() > ParticipationClient.CHANNELS.length()
                ? path.substring(ParticipationClient.CHANNELS.length() + 1) : null;
        switch (exchange.getRequestMethod()) {
            case "POST" -> {
                lastUpload = exchange.getRequestBody().readAllBytes();
                if (!channels.add("ch1")) {
                    reply(exchange, 405, "{\"error\":\"cannot join: channel already exists\"}");
                } else {
                    reply(exchange, 201, "{\"name\":\"ch1\",\"url\":\"/participation/v1/channels/ch1\","
                            + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":1}");
                }
            }
            case "GET" -> {
                if (name == null) {
                    reply(exchange, 200, channels.isEmpty() ? "{\"systemChannel\":null,\"channels\":null}"
                            : "{\"systemChannel\":null,\"channels\":[{\"name\":\"ch1\",\"url\":\"/participation/v1/channels/ch1\"}]}");
                } else if (channels.contains(name)) {
                    reply(exchange, 200, "{\"name\":\"ch1\",\"url\":\"/participation/v1/channels/ch1\","
                            + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":3}");
                } else {
                    reply(exchange, 404, "{\"error\":\"channel not found\"}");
                }
            }
            case "DELETE" -> {
                if (channels.remove(name)) {
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                } else {
                    reply(exchange, 404, "{\"error\":\"cannot remove: channel does not exist\"}");
                }
            }
            default -> reply(exchange, 405, "{\"error\":\"method not allowed\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private OrdererEndpoint endpoint() {
        return new OrdererEndpoint("127.0.0.1", 7050, server.getAddress().getPort(),
                List.of(ORDERER_ORG.tlsCa().certificate()), ORDERER_ORG.admin().tls());
    }

    @Test
    void joinsListsDescribesAndRemoves() {
        try (OrdererAdmin admin = OrdererAdmin.connect(endpoint())) {
            joinsListsDescribesAndRemoves(admin);
        }
    }

    private void joinsListsDescribesAndRemoves(OrdererAdmin admin) {
        assertThat(admin.listChannels()).isEmpty();
        Block block = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(0)).build();

        OrdererChannel joined = admin.joinChannel(block);
        assertThat(joined).isEqualTo(new OrdererChannel("ch1", "/participation/v1/channels/ch1", "consenter",
                "active", 1));
        String upload = new String(lastUpload, StandardCharsets.ISO_8859_1);
        assertThat(upload).contains("Content-Disposition: form-data; name=\"config-block\"")
                .contains(new String(block.toByteArray(), StandardCharsets.ISO_8859_1));

        assertThat(admin.listChannels()).containsExactly(
                new OrdererChannel("ch1", "/participation/v1/channels/ch1", null, null, 0));
        assertThat(admin.channel("ch1")).hasValueSatisfying(c -> assertThat(c.height()).isEqualTo(3));
        assertThat(admin.channel("other")).isEmpty();

        assertThatThrownBy(() -> admin.joinChannel(block)).isInstanceOfSatisfying(OrdererAdminException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(405);
            assertThat(e.fabricError()).isEqualTo("cannot join: channel already exists");
        });
        admin.removeChannel("ch1");
        assertThatThrownBy(() -> admin.removeChannel("ch1")).isInstanceOfSatisfying(OrdererAdminException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() {
        try (OrdererAdmin admin = OrdererAdmin.connect(endpoint().withAdminTlsClient(null))) {
            assertThatThrownBy(admin::listChannels).isInstanceOfSatisfying(OrdererAdminException.class,
                    e -> assertThat(e.httpStatus()).isZero());
        }
    }

    @Test
    void errorTextIsFabricsErrorFieldOrTheBody() {
        assertThat(ParticipationClient.errorText("{\"error\":\"x\"}\n")).isEqualTo("x");
        assertThat(ParticipationClient.errorText("plain\n")).isEqualTo("plain");
    }
}
