package io.sandbox.chaincode;

import java.net.InetSocketAddress;
import java.util.Map;

import org.hyperledger.fabric.shim.ChaincodeServerProperties;

/**
 * Chaincode-as-a-service settings, from the environment:
 * <ul>
 *   <li>{@code CHAINCODE_SERVER_ADDRESS} (required): {@code host:port} to listen on, e.g. {@code 0.0.0.0:9999};</li>
 *   <li>{@code CHAINCODE_ID} (required): the package id the peer knows the chaincode by
 *       ({@code label:sha256});</li>
 *   <li>{@code CHAINCODE_TLS_ENABLED} ({@code true}/{@code false}, default false). When true:
 *       {@code CHAINCODE_TLS_CERT_FILE} and {@code CHAINCODE_TLS_KEY_FILE} (PEM, required),
 *       {@code CHAINCODE_TLS_KEY_PASSWORD} (optional), and {@code CHAINCODE_TLS_CLIENT_CACERT_FILE} (optional:
 *       when set, peers must present a client certificate issued by it).</li>
 * </ul>
 */
record ServerConfig(String host, int port, String chaincodeId, boolean tlsEnabled, String tlsCertFile,
        String tlsKeyFile, String tlsKeyPassword, String tlsClientCaCertFile) {

    static final String ADDRESS = "CHAINCODE_SERVER_ADDRESS";
    static final String ID = "CHAINCODE_ID";
    static final String TLS_ENABLED = "CHAINCODE_TLS_ENABLED";
    static final String TLS_CERT_FILE = "CHAINCODE_TLS_CERT_FILE";
    static final String TLS_KEY_FILE = "CHAINCODE_TLS_KEY_FILE";
    static final String TLS_KEY_PASSWORD = "CHAINCODE_TLS_KEY_PASSWORD";
    static final String TLS_CLIENT_CACERT_FILE = "CHAINCODE_TLS_CLIENT_CACERT_FILE";

    static ServerConfig fromEnv(Map<String, String> env) {
        String address = required(env, ADDRESS);
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException(ADDRESS + " must be host:port, got '" + address + "'");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(ADDRESS + " must end in a port 1-65535, got '" + address + "'");
        }
        String id = required(env, ID);

        String tls = env.getOrDefault(TLS_ENABLED, "false").trim();
        if (!tls.equalsIgnoreCase("true") && !tls.equalsIgnoreCase("false") && !tls.isEmpty()) {
            throw new IllegalArgumentException(TLS_ENABLED + " must be true or false, got '" + tls + "'");
        }
        boolean tlsEnabled = tls.equalsIgnoreCase("true");
        if (!tlsEnabled) {
            return new ServerConfig(host, port, id, false, null, null, null, null);
        }
        return new ServerConfig(host, port, id, true, required(env, TLS_CERT_FILE), required(env, TLS_KEY_FILE),
                optional(env, TLS_KEY_PASSWORD), optional(env, TLS_CLIENT_CACERT_FILE));
    }

    ChaincodeServerProperties toProperties() {
        ChaincodeServerProperties properties = new ChaincodeServerProperties();
        properties.setServerAddress(new InetSocketAddress(host, port));
        properties.setTlsEnabled(tlsEnabled);
        if (tlsEnabled) {
            properties.setKeyCertChainFile(tlsCertFile);
            properties.setKeyFile(tlsKeyFile);
            properties.setKeyPassword(tlsKeyPassword);
            properties.setTrustCertCollectionFile(tlsClientCaCertFile);
        }
        properties.validate();
        return properties;
    }

    private static String required(Map<String, String> env, String name) {
        String value = optional(env, name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
