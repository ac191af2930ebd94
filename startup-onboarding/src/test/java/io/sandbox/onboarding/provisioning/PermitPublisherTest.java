package io.sandbox.onboarding.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sandbox.onboarding.review.PermitTerms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SUPERVISION step's call, against a local HTTP server standing in for the dashboard's permit endpoint. */
class PermitPublisherTest {

    private static final PermitTerms TERMS = new PermitTerms(250, new BigDecimal("10000.00"),
            new BigDecimal("500000.0000"), "EUR", List.of("DEPOSIT_TOKEN", "STABLECOIN"), LocalDate.of(2026, 12, 1),
            LocalDate.of(2027, 5, 31));

    private final AtomicReference<String> request = new AtomicReference<>();
    private HttpServer dashboard;
    private volatile int status = 200;

    @BeforeEach
    void startDashboard() throws IOException {
        dashboard = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dashboard.createContext("/api/v1/startups/", exchange -> {
            request.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
                    + exchange.getRequestHeaders().getFirst("Authorization") + "\n"
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"detail\":\"maxCustomers: is required\"}".getBytes(StandardCharsets.UTF_8);
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

    private PermitPublisher publisher() {
        return new PermitPublisher(URI.create("http://127.0.0.1:" + dashboard.getAddress().getPort()), () -> "svc-token");
    }

    @Test
    void putsThePermitWithChannelAndMspAsTheServiceAccount() throws IOException {
        publisher().publish("acme-pay", "sandbox-acme-pay", "AcmePayMSP", TERMS, "Permit issued by alice");

        String[] parts = request.get().split("\n", 3);
        assertThat(parts[0]).isEqualTo("PUT /api/v1/startups/acme-pay/permit");
        assertThat(parts[1]).isEqualTo("Bearer svc-token");
        JsonNode body = new ObjectMapper().readTree(parts[2]);
        assertThat(body.path("channel").asText()).isEqualTo("sandbox-acme-pay");
        assertThat(body.path("mspId").asText()).isEqualTo("AcmePayMSP");
        assertThat(body.path("maxCustomers").asInt()).isEqualTo(250);
        assertThat(body.path("maxSingleValue").asText()).isEqualTo("10000.00");
        assertThat(body.path("maxDailyVolume").asText()).isEqualTo("500000.0000");
        assertThat(body.path("currency").asText()).isEqualTo("EUR");
        assertThat(body.path("allowedAssetTypes").toString()).isEqualTo("[\"DEPOSIT_TOKEN\",\"STABLECOIN\"]");
        assertThat(body.path("testWindowStart").asText()).isEqualTo("2026-12-01");
        assertThat(body.path("testWindowEnd").asText()).isEqualTo("2027-05-31");
        assertThat(body.path("reason").asText()).isEqualTo("Permit issued by alice");
    }

    @Test
    void aRefusalFailsTheStepWithTheDashboardsAnswer() {
        status = 400;
        assertThatThrownBy(() -> publisher().publish("acme-pay", "sandbox-acme-pay", "AcmePayMSP", TERMS, "r"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acme-pay").hasMessageContaining("HTTP 400")
                .hasMessageContaining("maxCustomers: is required");
    }

    @Test
    void anUnreachableDashboardFailsTheStepSoThatItCanBeRetried() {
        dashboard.stop(0);
        assertThatThrownBy(() -> publisher().publish("acme-pay", "sandbox-acme-pay", "AcmePayMSP", TERMS, "r"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot be reached");
    }
}
