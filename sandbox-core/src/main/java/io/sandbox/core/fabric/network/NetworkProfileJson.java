package io.sandbox.core.fabric.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.admin.OrdererEndpoint;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.identity.CertifiedKey;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.Certificates;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The JSON form of a {@link NetworkProfile}; keys sealed under the label {@code network/<role>}. */
final class NetworkProfileJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkProfileJson() {
    }

    static String write(NetworkProfile profile, KeyVault vault) {
        ObjectNode root = JSON.createObjectNode().put("format", NetworkProfile.FORMAT);
        OrdererEndpoint orderer = profile.orderer();
        ObjectNode ordererNode = root.putObject("orderer").put("host", orderer.host())
                .put("grpcPort", orderer.grpcPort()).put("adminPort", orderer.adminPort());
        certificates(ordererNode.putArray("tlsRootCerts"), orderer.tlsRootCerts());
        if (orderer.adminTlsClient() != null) {
            ordererNode.set("adminTlsClient", keyPair(orderer.adminTlsClient(), vault, "network/orderer-admin-tls"));
        }
        OrdererOrg org = profile.ordererOrg();
        ObjectNode orgNode = root.putObject("ordererOrganisation").put("name", org.name());
        orgNode.set("msp", msp(org.msp()));
        org.endpoints().forEach(orgNode.putArray("endpoints")::add);
        ArrayNode consenters = orgNode.putArray("consenters");
        for (Consenter c : org.consenters()) {
            consenters.addObject().put("host", c.host()).put("port", c.port())
                    .put("clientTlsCert", c.clientTlsCert().toStringUtf8())
                    .put("serverTlsCert", c.serverTlsCert().toStringUtf8());
        }
        ObjectNode regulator = root.putObject("regulator");
        regulator.set("msp", msp(profile.regulatorMsp()));
        PeerEndpoint peer = profile.regulatorPeer();
        ObjectNode peerNode = regulator.putObject("peer").put("host", peer.host()).put("port", peer.port());
        certificates(peerNode.putArray("tlsRootCerts"), peer.tlsRootCerts());
        regulator.set("admin", keyPair(profile.regulatorAdmin(), vault, "network/regulator-admin"));
        regulator.set("client", keyPair(profile.regulatorClient(), vault, "network/regulator-client"));
        if (profile.devnetControl() != null) {
            root.putObject("devnet").put("controlUrl", profile.devnetControl().toString());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write network profile", e);
        }
    }

    static NetworkProfile read(String document, KeyVault vault) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("network profile is not JSON: " + e.getOriginalMessage());
        }
        if (!NetworkProfile.FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("network profile is not " + NetworkProfile.FORMAT);
        }
        JsonNode ordererNode = root.path("orderer");
        CertifiedKey adminTls = ordererNode.has("adminTlsClient")
                ? keyPair(ordererNode.path("adminTlsClient"), vault, "network/orderer-admin-tls") : null;
        OrdererEndpoint orderer = new OrdererEndpoint(text(ordererNode, "host"), ordererNode.path("grpcPort").asInt(),
                ordererNode.path("adminPort").asInt(), certificates(ordererNode.path("tlsRootCerts")), adminTls);
        JsonNode orgNode = root.path("ordererOrganisation");
        List<String> endpoints = new ArrayList<>();
        orgNode.path("endpoints").forEach(e -> endpoints.add(e.asText()));
        List<Consenter> consenters = new ArrayList<>();
        for (JsonNode c : orgNode.path("consenters")) {
            consenters.add(new Consenter(text(c, "host"), c.path("port").asInt(),
                    ByteString.copyFromUtf8(text(c, "clientTlsCert")), ByteString.copyFromUtf8(text(c, "serverTlsCert"))));
        }
        OrdererOrg ordererOrg = new OrdererOrg(text(orgNode, "name"), msp(orgNode.path("msp")), endpoints, consenters);
        JsonNode regulator = root.path("regulator");
        Msp regulatorMsp = msp(regulator.path("msp"));
        JsonNode peerNode = regulator.path("peer");
        PeerEndpoint peer = new PeerEndpoint(text(peerNode, "host"), peerNode.path("port").asInt(),
                certificates(peerNode.path("tlsRootCerts")), regulatorMsp.mspId());
        return new NetworkProfile(orderer, ordererOrg, regulatorMsp, peer,
                keyPair(regulator.path("admin"), vault, "network/regulator-admin"),
                keyPair(regulator.path("client"), vault, "network/regulator-client"),
                root.path("devnet").has("controlUrl") ? java.net.URI.create(text(root.path("devnet"), "controlUrl")) : null);
    }

    private static ObjectNode msp(Msp msp) {
        ObjectNode node = JSON.createObjectNode().put("mspId", msp.mspId());
        msp.rootCerts().forEach(c -> node.withArray("rootCerts").add(c.toStringUtf8()));
        msp.tlsRootCerts().forEach(c -> node.withArray("tlsRootCerts").add(c.toStringUtf8()));
        return node;
    }

    private static Msp msp(JsonNode node) {
        List<ByteString> roots = new ArrayList<>();
        node.path("rootCerts").forEach(c -> roots.add(ByteString.copyFromUtf8(c.asText())));
        List<ByteString> tlsRoots = new ArrayList<>();
        node.path("tlsRootCerts").forEach(c -> tlsRoots.add(ByteString.copyFromUtf8(c.asText())));
        return new Msp(text(node, "mspId"), roots, tlsRoots, NodeOus.standard());
    }

    private static void certificates(ArrayNode array, List<X509Certificate> certificates) {
        for (X509Certificate certificate : certificates) {
            array.add(Certificates.pem(certificate));
        }
    }

    private static List<X509Certificate> certificates(JsonNode array) {
        List<X509Certificate> certificates = new ArrayList<>();
        array.forEach(c -> certificates.add(Certificates.parsePem(c.asText())));
        return certificates;
    }

    private static ObjectNode keyPair(CertifiedKey key, KeyVault vault, String label) {
        return JSON.createObjectNode().put("certificate", key.certificatePem())
                .put("sealedKey", Base64.getEncoder().encodeToString(vault.seal(key.privateKey(), label)));
    }

    private static CertifiedKey keyPair(JsonNode node, KeyVault vault, String label) {
        return new CertifiedKey(Certificates.parsePem(text(node, "certificate")),
                vault.open(Base64.getDecoder().decode(text(node, "sealedKey")), label));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("network profile lacks text field '" + field + "'");
        }
        return value.asText();
    }
}
