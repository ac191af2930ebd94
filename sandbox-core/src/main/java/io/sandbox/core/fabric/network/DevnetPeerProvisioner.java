package io.sandbox.core.fabric.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.identity.Certificates;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Optional;
import java.util.List;

/** {@link PeerProvisioner} over the devnet's control API ({@code POST /devnet/v1/peers}). */
final class DevnetPeerProvisioner implements PeerProvisioner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkProfile network;
    private final KeyVault vault;
    private final HttpClient http;

    DevnetPeerProvisioner(NetworkProfile network, KeyVault vault) {
        this.network = network;
        this.vault = vault;
        this.http = HttpClient.newBuilder().sslContext(network.orderer().adminSslContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public ProvisionedPeer ensurePeer(OrganisationMaterial organisation) {
        HttpRequest request = HttpRequest.newBuilder(network.devnetControl()).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SealedOrganisation.seal(organisation, vault))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PeerProvisioningException("the devnet control API at " + network.devnetControl()
                    + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerProvisioningException("interrupted while starting the peer of " + organisation.mspId(), e);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new PeerProvisioningException("the devnet did not start the peer of " + organisation.mspId()
                        + " (HTTP " + response.statusCode() + "): " + body.path("error").asText(response.body()), null);
            }
            List<X509Certificate> roots = new ArrayList<>();
            body.path("tlsRootCerts").forEach(c -> roots.add(Certificates.parsePem(c.asText())));
            PeerEndpoint peer = new PeerEndpoint(body.path("host").asText(), body.path("port").asInt(), roots,
                    body.path("mspId").asText());
            Optional<ChaincodePackage> chaincode = body.hasNonNull("chaincodePackage")
                    ? Optional.of(ChaincodePackage.parse(Base64.getDecoder().decode(body.get("chaincodePackage").asText())))
                    : Optional.empty();
            return new ProvisionedPeer(peer, chaincode);
        } catch (IOException | IllegalArgumentException e) {
            throw new PeerProvisioningException("the devnet's answer for " + organisation.mspId()
                    + " is malformed: " + e.getMessage(), e);
        }
    }
}
