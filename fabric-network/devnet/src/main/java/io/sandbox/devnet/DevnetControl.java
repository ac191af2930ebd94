package io.sandbox.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.identity.Certificates;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.KeyVaultException;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import io.sandbox.devnet.orderer.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The devnet's own control API, for what a real network's operator does by hand or with Kubernetes: starting a
 * startup organisation's peer. HTTPS with mutual TLS; only the operator's admin TLS client (issued by the orderer
 * organisation's TLS CA) is accepted.
 *
 * <ul>
 *   <li>{@code POST /devnet/v1/peers}: body an organisation document ({@code sandbox.organisation/1}) sealed with the
 *       devnet's master secret; starts its peer (or finds it running) and answers {@code 200} with
 *       {@code {"mspId", "host", "port", "tlsRootCerts"}} and, when the devnet runs the organisation's chaincode
 *       server, {@code "chaincodePackage"} (the CCaaS package, Base64) for its admin to install.</li>
 * </ul>
 */
final class DevnetControl implements AutoCloseable {

    static final String PEERS = "/devnet/v1/peers";

    private static final Logger LOG = Logger.getLogger(DevnetControl.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1024 * 1024;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Devnet devnet;
    private final KeyVault vault;

    private DevnetControl(HttpsServer server, ExecutorService executor, Devnet devnet, KeyVault vault) {
        this.server = server;
        this.executor = executor;
        this.devnet = devnet;
        this.vault = vault;
    }

    static DevnetControl start(Devnet devnet, KeyVault vault, String host, int port, OrganisationMaterial operator) {
        try {
            var node = operator.orderers().get(0);
            SSLContext ssl = TlsContexts.serverContext(List.of(node.tls().certificate()), node.tls().privateKey(),
                    List.of(operator.tlsCa().certificate()));
            HttpsServer server = HttpsServer.create(new InetSocketAddress(host, port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                    parameters.setNeedClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "devnet-control");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            DevnetControl control = new DevnetControl(server, executor, devnet, vault);
            server.createContext("/", control::handle);
            server.start();
            return control;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the devnet control API did not start: " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!PEERS.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, error("no such resource"));
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, error("only POST is allowed"));
            } else {
                startPeer(exchange);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "devnet control request failed", e);
            send(exchange, 500, error("the peer did not start: " + e.getMessage()));
        }
    }

    private void startPeer(HttpExchange exchange) throws IOException {
        byte[] body = read(exchange.getRequestBody());
        if (body == null) {
            send(exchange, 413, error("the organisation document exceeds " + MAX_BODY + " bytes"));
            return;
        }
        OrganisationMaterial org;
        try {
            org = SealedOrganisation.open(new String(body, StandardCharsets.UTF_8), vault);
        } catch (IllegalArgumentException | KeyVaultException e) {
            send(exchange, 400, error("not an organisation document this devnet can open: " + e.getMessage()));
            return;
        }
        if (org.peers().isEmpty()) {
            send(exchange, 400, error(org.mspId() + " has no peer identity"));
            return;
        }
        PeerEndpoint peer = devnet.startPeer(org);
        ObjectNode answer = JSON.createObjectNode().put("mspId", peer.mspId()).put("host", peer.host())
                .put("port", peer.port());
        peer.tlsRootCerts().forEach(c -> answer.withArray("tlsRootCerts").add(Certificates.pem(c)));
        devnet.chaincodePackage(org.mspId()).ifPresent(
                pkg -> answer.put("chaincodePackage", java.util.Base64.getEncoder().encodeToString(pkg)));
        send(exchange, 200, answer.toString());
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
