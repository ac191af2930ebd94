package io.sandbox.devnet.chaincode;

import io.sandbox.core.fabric.channel.GoDuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where and how to reach a chaincode-as-a-service server: the {@code connection.json} of a CCaaS chaincode
 * package, as Fabric's external builder reads it ({@code core/container/externalbuilder}
 * {@code ChaincodeServerUserData}): {@code address} (host:port), {@code dial_timeout} (a Go duration string such as
 * {@code "10s"}, or a number of nanoseconds; Fabric's default is 3 s), {@code tls_required},
 * {@code client_auth_required}, and PEM <em>contents</em> {@code client_key}, {@code client_cert},
 * {@code root_cert}.
 *
 * @param clientKeyPem  PEM private key for mutual TLS (PKCS#8 or SEC1), or null
 * @param clientCertPem PEM client certificate for mutual TLS, or null
 * @param rootCertPem   PEM CA certificate(s) the chaincode server's TLS certificate must chain to, or null
 */
public record ConnectionInfo(String address, Duration dialTimeout, boolean tlsRequired, boolean clientAuthRequired,
        String clientKeyPem, String clientCertPem, String rootCertPem) {

    /** Fabric's default when {@code dial_timeout} is absent or zero. */
    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks what Fabric checks ({@code ChaincodeServerInfo}). */
    public ConnectionInfo {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("chaincode address not provided");
        }
        dialTimeout = dialTimeout == null || dialTimeout.isZero() ? DEFAULT_DIAL_TIMEOUT : dialTimeout;
        if (dialTimeout.isNegative()) {
            throw new IllegalArgumentException("dial_timeout must not be negative: " + dialTimeout);
        }
        if (tlsRequired) {
            if (clientAuthRequired && blank(clientKeyPem)) {
                throw new IllegalArgumentException("chaincode tls key not provided");
            }
            if (clientAuthRequired && blank(clientCertPem)) {
                throw new IllegalArgumentException("chaincode tls cert not provided");
            }
            if (blank(rootCertPem)) {
                throw new IllegalArgumentException("chaincode tls root cert not provided");
            }
        }
    }

    /** A plaintext connection with the default dial timeout. */
    public static ConnectionInfo plaintext(String address) {
        return new ConnectionInfo(address, null, false, false, null, null, null);
    }

    /** Reads a {@code connection.json} file. */
    public static ConnectionInfo read(Path connectionJson) throws IOException {
        return parse(Files.readString(connectionJson));
    }

    /** Parses {@code connection.json} text; unknown fields are ignored, as Go's encoding/json does. */
    public static ConnectionInfo parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed connection.json: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("malformed connection.json: not a JSON object");
        }
        Map<String, JsonNode> fields = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            // Go matches JSON keys to struct tags case-insensitively
            fields.put(field.getKey().toLowerCase(java.util.Locale.ROOT), field.getValue());
        }
        return new ConnectionInfo(
                text(fields, "address"),
                duration(fields.get("dial_timeout")),
                bool(fields, "tls_required"),
                bool(fields, "client_auth_required"),
                text(fields, "client_key"),
                text(fields, "client_cert"),
                text(fields, "root_cert"));
    }


    private static Duration duration(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Duration.ofNanos(node.longValue());
        }
        if (node.isTextual()) {
            return GoDuration.parse(node.textValue());
        }
        throw new IllegalArgumentException("invalid duration");
    }

    private static String text(Map<String, JsonNode> fields, String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("connection.json: " + name + " must be a string");
        }
        return node.textValue();
    }

    private static boolean bool(Map<String, JsonNode> fields, String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException("connection.json: " + name + " must be a boolean");
        }
        return node.booleanValue();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "ConnectionInfo[address=" + address + ", dialTimeout=" + dialTimeout + ", tlsRequired=" + tlsRequired
                + ", clientAuthRequired=" + clientAuthRequired + "]";
    }
}
