package io.sandbox.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo permits' terms; the HTTP call itself is {@code PermitClient}'s (tested through PermitPublisherTest). */
class DemoPermitsTest {

    private static final StartupSandbox ACME = new StartupSandbox("acme-pay", "sandbox-acme-pay",
            OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("AcmePayMSP", "acme-pay.sandbox.local",
                    "peer0")), null);

    @Test
    void theDemoPermitNamesTheChannelTheOrganisationAndItsTerms() {
        Map<String, Object> permit = DemoPermits.permit(ACME, LocalDate.of(2026, 11, 22));

        assertThat(permit).containsEntry("channel", "sandbox-acme-pay").containsEntry("mspId", "AcmePayMSP")
                .containsEntry("maxSingleValue", DemoPermits.MAX_SINGLE_VALUE).containsEntry("currency", "EUR")
                .containsEntry("allowedAssetTypes", List.of("DEPOSIT_TOKEN"))
                .containsEntry("testWindowStart", "2026-10-23").containsEntry("testWindowEnd", "2027-04-21");
        assertThat((String) permit.get("reason")).isNotBlank();
    }

    @Test
    void aDashboardThatCannotBeReachedStopsTheRunWithTheStartupsName() throws IOException {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        assertThatThrownBy(() -> DemoPermits.apply(URI.create("http://127.0.0.1:" + closed), "token", List.of(ACME)))
                .isInstanceOf(LauncherException.class).hasMessageContaining("acme-pay")
                .hasMessageContaining("cannot be reached");
    }
}
