package io.sandbox.onboarding.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox.core.fabric.identity.Certificates;
import io.sandbox.core.fabric.identity.FabricIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip a startup downloads once its sandbox is READY:
 * <ul>
 * <li>{@code identity/cert.pem}, {@code identity/key.pem}: its client identity (NodeOU client), for fabric-gateway</li>
 * <li>{@code tls/ca.pem}: the TLS root its peer's certificate chains to</li>
 * <li>{@code connection.json}: channel, chaincode, MSP id, peer host and port, TLS root</li>
 * <li>{@code api-client.json}: the Keycloak client for API access and its secret (when Keycloak has it)</li>
 * </ul>
 */
final class SandboxBundle {

    static final String FORMAT = "sandbox.bundle/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxBundle() {
    }

    static byte[] zip(Provisioning p, FabricIdentity client, Optional<String> apiClientSecret, String tokenEndpoint) {
        ObjectNode connection = JSON.createObjectNode().put("format", FORMAT).put("name", p.slug)
                .put("mspId", p.mspId).put("channel", p.channelId).put("chaincode", FabricSteps.CHAINCODE.name());
        connection.putObject("peer").put("host", p.peerHost).put("port", p.peerPort)
                .put("tlsRootCertPath", "tls/ca.pem").put("tlsRootCert", p.peerTlsRoots);
        connection.putObject("identity").put("certPath", "identity/cert.pem").put("keyPath", "identity/key.pem");
        ObjectNode api = JSON.createObjectNode().put("clientId", p.apiClientId()).put("tokenEndpoint", tokenEndpoint);
        apiClientSecret.ifPresent(secret -> api.put("clientSecret", secret));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "connection.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(connection));
            entry(zip, "api-client.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(api));
            entry(zip, "identity/cert.pem", Certificates.pem(client.signing().certificate()));
            entry(zip, "identity/key.pem", privateKeyPem(client.signing().privateKey()));
            entry(zip, "tls/ca.pem", p.peerTlsRoots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String privateKeyPem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
