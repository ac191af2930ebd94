package io.sandbox.devnet.orderer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The channel participation REST API of {@code orderer/common/channelparticipation/restapi.go} (Fabric 2.5),
 * on an HTTPS listener that requires a client certificate chaining to the admin client roots.
 *
 * <ul>
 *   <li>{@code GET /participation/v1/channels}: ChannelList {@code {"systemChannel":null,"channels":[...]}}
 *   <li>{@code POST /participation/v1/channels}: multipart/form-data with one file part {@code config-block};
 *       201 with ChannelInfo and {@code Location}; 400 bad block, 405 (Allow: GET, DELETE) when joined already
 *   <li>{@code GET /participation/v1/channels/{id}}: ChannelInfo, 404 when not joined
 *   <li>{@code DELETE /participation/v1/channels/{id}}: 204, 404 when not joined
 *   <li>other methods: 405 with {@code Allow}; {@code GET /participation/v1/}: 302 to the channel list
 * </ul>
 * Errors are {@code {"error":"..."}} with Fabric's messages; bodies end with a newline, as Go's json.Encoder.
 */
final class ParticipationApi {

    private static final Logger LOG = Logger.getLogger(ParticipationApi.class.getName());
    static final String BASE = "/participation/v1/";
    static final String CHANNELS = BASE + "channels";
    static final String CONFIG_BLOCK_KEY = "config-block";
    /** Fabric's default {@code Admin.ChannelParticipation.MaxRequestBodySize}: 1 MiB. */
    static final int MAX_REQUEST_BODY = 1024 * 1024;

    private final DevOrderer registrar;
    private final HttpsServer server;
    private final ExecutorService executor;

    private ParticipationApi(DevOrderer registrar, HttpsServer server, ExecutorService executor) {
        this.registrar = registrar;
        this.server = server;
        this.executor = executor;
    }

    static ParticipationApi start(DevOrderer registrar) throws IOException, GeneralSecurityException {
        OrdererConfig config = registrar.config();
        SSLContext ssl = TlsContexts.serverContext(config.tlsCertificateChain(), config.tlsKey(), config.adminClientRoots());
        HttpsServer server = HttpsServer.create(new InetSocketAddress(config.host(), config.adminPort()), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "devnet-orderer-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        ParticipationApi api = new ParticipationApi(registrar, server, executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "participation API request failed", e);
            try {
                sendError(exchange, 500, e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (IOException | RuntimeException ignored) {
                // response already started
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals(CHANNELS)) {
            switch (method) {
                case "GET" -> listAll(exchange);
                case "POST" -> {
                    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (contentType != null && contentType.startsWith("multipart/form-data")) {
                        join(exchange);
                    } else {
                        sendError(exchange, 400, "unsupported Content-Type: " + goSlice(exchange.getRequestHeaders().get("Content-Type")));
                    }
                }
                default -> sendNotAllowed(exchange, "invalid request method: " + method, "GET, POST");
            }
        } else if (path.startsWith(CHANNELS + "/") && path.length() > CHANNELS.length() + 1
                && path.indexOf('/', CHANNELS.length() + 1) < 0) {
            String channelId = java.net.URLDecoder.decode(path.substring(CHANNELS.length() + 1), StandardCharsets.UTF_8);
            switch (method) {
                case "GET" -> listOne(exchange, channelId);
                case "DELETE" -> remove(exchange, channelId);
                default -> sendNotAllowed(exchange, "invalid request method: " + method, "GET, DELETE");
            }
        } else if (path.equals(BASE) && method.equals("GET")) {
            drainRequest(exchange);
            exchange.getResponseHeaders().set("Location", CHANNELS);
            exchange.sendResponseHeaders(302, -1);
        } else {
            byte[] body = "404 page not found\n".getBytes(StandardCharsets.UTF_8);
            drainRequest(exchange);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void listAll(HttpExchange exchange) throws IOException {
        if (!acceptsJson(exchange)) {
            return;
        }
        List<String> channels = registrar.channels();
        StringBuilder json = new StringBuilder("{\"systemChannel\":null,\"channels\":");
        if (channels.isEmpty()) {
            json.append("null"); // a nil Go slice
        } else {
            json.append('[');
            for (int i = 0; i < channels.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"name\":").append(quote(channels.get(i)))
                        .append(",\"url\":").append(quote(CHANNELS + "/" + channels.get(i))).append('}');
            }
            json.append(']');
        }
        json.append('}');
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        sendJson(exchange, 200, json.toString());
    }

    private void listOne(HttpExchange exchange, String channelId) throws IOException {
        if (!acceptsJson(exchange) || !validChannelId(exchange, channelId)) {
            return;
        }
        Channel channel = registrar.channel(channelId);
        if (channel == null) {
            sendError(exchange, 404, "channel does not exist");
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        sendJson(exchange, 200, channelInfo(channel));
    }

    private void join(HttpExchange exchange) throws IOException {
        if (!acceptsJson(exchange)) {
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String boundary = parameter(contentType, "boundary");
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            sendError(exchange, 400, "cannot read form from request body: http: request body too large");
            return;
        }
        Multipart form;
        try {
            form = Multipart.parse(body, boundary);
        } catch (IllegalArgumentException e) {
            sendError(exchange, 400, "cannot read form from request body: " + e.getMessage());
            return;
        }
        if (!form.files().containsKey(CONFIG_BLOCK_KEY)) {
            sendError(exchange, 400, "form does not contains part key: " + CONFIG_BLOCK_KEY);
            return;
        }
        if (form.files().size() != 1 || !form.values().isEmpty()) {
            sendError(exchange, 400, "form contains too many parts");
            return;
        }
        Block block;
        try {
            block = Block.parseFrom(form.files().get(CONFIG_BLOCK_KEY));
        } catch (InvalidProtocolBufferException e) {
            sendError(exchange, 400, "cannot unmarshal file part " + CONFIG_BLOCK_KEY + " into a block: " + e.getMessage());
            return;
        }
        try {
            Channel channel = registrar.join(block);
            exchange.getResponseHeaders().set("Location", CHANNELS + "/" + channel.id);
            sendJson(exchange, 201, channelInfo(channel));
        } catch (DevOrderer.RegistrarException e) {
            if (e.refusal == DevOrderer.Refusal.CHANNEL_EXISTS) {
                sendNotAllowed(exchange, e.getMessage(), "GET, DELETE");
            } else {
                sendError(exchange, 400, e.getMessage());
            }
        }
    }

    private void remove(HttpExchange exchange, String channelId) throws IOException {
        if (!acceptsJson(exchange) || !validChannelId(exchange, channelId)) {
            return;
        }
        try {
            registrar.remove(channelId);
            drainRequest(exchange);
            exchange.sendResponseHeaders(204, -1);
        } catch (DevOrderer.RegistrarException e) {
            sendError(exchange, e.refusal == DevOrderer.Refusal.CHANNEL_NOT_EXIST ? 404 : 400, e.getMessage());
        }
    }

    private static String channelInfo(Channel channel) {
        return "{\"name\":" + quote(channel.id)
                + ",\"url\":" + quote(CHANNELS + "/" + channel.id)
                + ",\"consensusRelation\":" + quote(channel.consensusRelation())
                + ",\"status\":\"active\""
                + ",\"height\":" + Long.toUnsignedString(channel.store.height()) + "}";
    }

    private boolean validChannelId(HttpExchange exchange, String channelId) throws IOException {
        String problem = ChannelConfigView.channelIdProblem(channelId);
        if (problem != null) {
            sendError(exchange, 400, "invalid channel ID: " + problem);
            return false;
        }
        return true;
    }

    /** {@code negotiateContentType}: only application/json responses. */
    private static boolean acceptsJson(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept == null || accept.isEmpty()) {
            return true;
        }
        for (String option : accept.split(",")) {
            if (option.contains("application/json") || option.contains("application/*") || option.contains("*/*")) {
                return true;
            }
        }
        sendError(exchange, 406, "response Content-Type is application/json only");
        return false;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_REQUEST_BODY) {
                return null;
            }
        }
        return out.toByteArray();
    }

    static String parameter(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        for (String part : headerValue.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals(name)) {
                String value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }

    /**
     * Reads what is left of the request body before answering, so the connection stays usable for the client's
     * next request (the JDK server drops a keep-alive connection whose request was not read to the end, and a
     * client reusing it at that moment sees an empty response). A body over the limit closes the connection.
     */
    private static void drainRequest(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[8192];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            read += n;
            if (read > MAX_REQUEST_BODY) {
                exchange.getResponseHeaders().set("Connection", "close");
                return;
            }
        }
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, "{\"error\":" + quote(message) + "}");
    }

    private static void sendNotAllowed(HttpExchange exchange, String message, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        sendError(exchange, 405, message);
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        drainRequest(exchange);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String goSlice(List<String> values) {
        return values == null ? "[]" : "[" + String.join(" ", values) + "]";
    }

    /** A JSON string as Go's encoding/json writes it (HTML-escaping {@code < > &}). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A parsed multipart/form-data body: parts with a filename are files, the others values (Go's ReadForm). */
    record Multipart(java.util.Map<String, byte[]> files, java.util.Map<String, String> values) {

        static Multipart parse(byte[] body, String boundary) {
            if (boundary == null || boundary.isEmpty()) {
                throw new IllegalArgumentException("multipart: boundary is empty");
            }
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            int pos = indexOf(body, delimiter, 0);
            if (pos < 0) {
                throw new IllegalArgumentException("multipart: NextPart: EOF");
            }
            List<int[]> parts = new ArrayList<>();
            while (true) {
                int after = pos + delimiter.length;
                if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                    break; // closing delimiter
                }
                int start = skipLineEnd(body, after);
                int next = indexOf(body, delimiter, start);
                if (next < 0) {
                    throw new IllegalArgumentException("multipart: NextPart: EOF");
                }
                int end = next;
                if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
                    end -= 2;
                } else if (end >= 1 && body[end - 1] == '\n') {
                    end -= 1;
                }
                parts.add(new int[] {start, end});
                pos = next;
            }
            for (int[] part : parts) {
                int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), part[0]);
                int contentStart = headerEnd + 4;
                if (headerEnd < 0 || headerEnd > part[1]) {
                    throw new IllegalArgumentException("multipart: malformed MIME header");
                }
                String headers = new String(body, part[0], headerEnd - part[0], StandardCharsets.UTF_8);
                String name = null;
                String filename = null;
                for (String line : headers.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                        name = parameter(line.substring(colon + 1), "name");
                        filename = parameter(line.substring(colon + 1), "filename");
                    }
                }
                if (name == null) {
                    continue;
                }
                byte[] content = java.util.Arrays.copyOfRange(body, contentStart, Math.max(contentStart, part[1]));
                if (filename == null) {
                    values.put(name, new String(content, StandardCharsets.UTF_8));
                } else {
                    files.putIfAbsent(name, content);
                }
            }
            return new Multipart(files, values);
        }

        private static int skipLineEnd(byte[] body, int pos) {
            int p = pos;
            while (p < body.length && (body[p] == ' ' || body[p] == '\t')) {
                p++;
            }
            if (p + 1 < body.length && body[p] == '\r' && body[p + 1] == '\n') {
                return p + 2;
            }
            if (p < body.length && body[p] == '\n') {
                return p + 1;
            }
            return p;
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
