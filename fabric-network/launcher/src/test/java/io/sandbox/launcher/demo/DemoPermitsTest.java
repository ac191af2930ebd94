package io.sandbox.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoPermitsTest {

    private static final StartupSandbox ACME = new StartupSandbox("acme-pay", "sandbox-acme-pay",
            OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("AcmePayMSP", "acme-pay.sandbox.local",
                    "peer0")), null);

    private final Map<String, String> received = new ConcurrentHashMap<>();
    private HttpServer dashboard;
    private volatile int status = 200;

    @BeforeEach
    void startDashboard() throws IOException {
        dashboard = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dashboard.createContext("/api/v1/startups/", exchange -> {
            received.put(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization") + "\n"
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"title\":\"refused\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dashboard.start();
    }

    @AfterEach
    void stopDashboard() {
        dashboard.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + dashboard.getAddress().getPort() + "/");
    }

    @Test
    void putsEachStartupsPermitWithTheRegulatorsToken() throws IOException {
        DemoPermits.apply(url(), "token-1", List.of(ACME));

        String request = received.get("PUT /api/v1/startups/acme-pay/permit");
        assertThat(request).startsWith("Bearer token-1\n");
        JsonNode permit = new ObjectMapper().readTree(request.substring(request.indexOf('\n') + 1));
        assertThat(permit.path("channel").asText()).isEqualTo("sandbox-acme-pay");
        assertThat(permit.path("mspId").asText()).isEqualTo("AcmePayMSP");
        assertThat(permit.path("maxSingleValue").asText()).isEqualTo(DemoPermits.MAX_SINGLE_VALUE);
        assertThat(permit.path("currency").asText()).isEqualTo("EUR");
        assertThat(permit.path("allowedAssetTypes").get(0).asText()).isEqualTo("DEPOSIT_TOKEN");
        assertThat(permit.path("testWindowStart").asText()).isLessThan(permit.path("testWindowEnd").asText());
        assertThat(permit.path("reason").asText()).isNotBlank();
    }

    @Test
    void aRefusalNamesTheStartupAndTheDashboardsAnswer() {
        status = 400;
        assertThatThrownBy(() -> DemoPermits.apply(url(), "token-1", List.of(ACME)))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("acme-pay").hasMessageContaining("400").hasMessageContaining("refused");
    }
}
