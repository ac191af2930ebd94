package io.sandbox.core.fabric.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An organisation's material as a JSON document safe to store: certificates in PEM, every private key sealed by a
 * {@link KeyVault} under the label {@code <mspId>/<identity name>/<signing|tls>}.
 *
 * <p>Format {@code sandbox.organisation/1}: {@code spec} (MSP id, domain, host names, validities), {@code signingCa},
 * {@code tlsCa} and {@code identities} (admin, user, peers, orderers in that order), each key pair as
 * {@code {"certificate": PEM, "sealedKey": Base64}}.
 */
public final class SealedOrganisation {

    /** The format name written into every document. */
    public static final String FORMAT = "sandbox.organisation/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SealedOrganisation() {
    }

    /** The material as a JSON document with sealed keys. */
    public static String seal(OrganisationMaterial organisation, KeyVault vault) {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(vault, "vault");
        OrganisationSpec spec = organisation.spec();
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ObjectNode specNode = root.putObject("spec").put("mspId", spec.mspId()).put("domain", spec.domain())
                .put("caValidity", spec.caValidity().toString())
                .put("identityValidity", spec.identityValidity().toString());
        spec.peerHostnames().forEach(specNode.putArray("peerHostnames")::add);
        spec.ordererHostnames().forEach(specNode.putArray("ordererHostnames")::add);
        String msp = spec.mspId();
        root.set("signingCa", keyPair(organisation.signingCa(), vault, msp + "/ca/signing"));
        root.set("tlsCa", keyPair(organisation.tlsCa(), vault, msp + "/tlsca/tls"));
        ArrayNode identities = root.putArray("identities");
        for (FabricIdentity identity : organisation.identities()) {
            ObjectNode node = identities.addObject().put("name", identity.name()).put("role", identity.role().name());
            node.set("signing", keyPair(identity.signing(), vault, label(msp, identity.name(), "signing")));
            node.set("tls", keyPair(identity.tls(), vault, label(msp, identity.name(), "tls")));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write organisation document", e);
        }
    }

    /**
     * The material of a document written by {@link #seal}.
     *
     * @throws IllegalArgumentException if the document is malformed
     * @throws KeyVaultException        if a key does not open (wrong master secret, or tampered with)
     */
    public static OrganisationMaterial open(String document, KeyVault vault) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(vault, "vault");
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("organisation document is not JSON: " + e.getOriginalMessage());
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("organisation document is not " + FORMAT);
        }
        JsonNode specNode = root.path("spec");
        OrganisationSpec spec = new OrganisationSpec(text(specNode, "mspId"), text(specNode, "domain"),
                strings(specNode.path("peerHostnames")), strings(specNode.path("ordererHostnames")),
                Duration.parse(text(specNode, "caValidity")), Duration.parse(text(specNode, "identityValidity")));
        String msp = spec.mspId();
        CertifiedKey signingCa = keyPair(root.path("signingCa"), vault, msp + "/ca/signing");
        CertifiedKey tlsCa = keyPair(root.path("tlsCa"), vault, msp + "/tlsca/tls");
        List<FabricIdentity> identities = new ArrayList<>();
        for (JsonNode node : root.path("identities")) {
            String name = text(node, "name");
            identities.add(new FabricIdentity(msp, name, NodeOuRole.valueOf(text(node, "role")),
                    keyPair(node.path("signing"), vault, label(msp, name, "signing")),
                    keyPair(node.path("tls"), vault, label(msp, name, "tls"))));
        }
        int peers = spec.peerHostnames().size();
        int orderers = spec.ordererHostnames().size();
        if (identities.size() != 2 + peers + orderers) {
            throw new IllegalArgumentException("organisation document has " + identities.size()
                    + " identities; its spec needs " + (2 + peers + orderers));
        }
        return new GeneratedOrganisationMaterial(spec, signingCa, tlsCa, identities.get(0), identities.get(1),
                identities.subList(2, 2 + peers), identities.subList(2 + peers, identities.size()));
    }

    private static String label(String msp, String name, String purpose) {
        return msp + "/" + name + "/" + purpose;
    }

    private static ObjectNode keyPair(CertifiedKey key, KeyVault vault, String label) {
        return JSON.createObjectNode().put("certificate", key.certificatePem())
                .put("sealedKey", Base64.getEncoder().encodeToString(vault.seal(key.privateKey(), label)));
    }

    private static CertifiedKey keyPair(JsonNode node, KeyVault vault, String label) {
        X509Certificate certificate = Certificates.parsePem(text(node, "certificate"));
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(text(node, "sealedKey"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed key of " + label + " is not Base64");
        }
        return new CertifiedKey(certificate, vault.open(sealed, label));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("organisation document lacks text field '" + field + "'");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
