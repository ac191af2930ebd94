package io.sandbox.core.fabric.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/** {@link OrdererAdmin} over the JDK {@link HttpClient}. */
final class ParticipationClient implements OrdererAdmin {

    static final String CHANNELS = "/participation/v1/channels";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String baseUrl;
    private final HttpClient http;

    ParticipationClient(OrdererEndpoint endpoint) {
        String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
        this.baseUrl = "https://" + host + ":" + endpoint.adminPort();
        this.http = HttpClient.newBuilder()
                .sslContext(Tls.sslContext(endpoint.tlsRootCerts(), endpoint.adminTlsClient()))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public OrdererChannel joinChannel(Block configBlock) {
        Objects.requireNonNull(configBlock, "configBlock");
        String boundary = "sandbox-" + HexFormat.of().formatHex(RANDOM.generateSeed(12));
        byte[] body = multipart(boundary, configBlock.toByteArray());
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + CHANNELS)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = send("join", request);
        if (response.statusCode() != 201) {
            throw failure("join", response);
        }
        return channelInfo(parse("join", response));
    }

    @Override
    public List<OrdererChannel> listChannels() {
        HttpResponse<String> response = send("list", get(CHANNELS));
        if (response.statusCode() != 200) {
            throw failure("list", response);
        }
        JsonNode channels = parse("list", response).path("channels");
        List<OrdererChannel> out = new ArrayList<>();
        for (JsonNode channel : channels) {
            out.add(channelInfo(channel));
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<OrdererChannel> channel(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        HttpResponse<String> response = send("channel " + channelId, get(path(channelId)));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure("channel " + channelId, response);
        }
        return Optional.of(channelInfo(parse("channel " + channelId, response)));
    }

    @Override
    public void removeChannel(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path(channelId))).timeout(TIMEOUT)
                .header("Accept", "application/json").DELETE().build();
        HttpResponse<String> response = send("remove " + channelId, request);
        if (response.statusCode() != 204) {
            throw failure("remove " + channelId, response);
        }
    }

    static byte[] multipart(String boundary, byte[] block) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(block.length + 256);
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"config-block\"; filename=\"config.block\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(block);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** A {@code ChannelInfo} JSON object (or a listing's {@code ChannelInfoShort}). */
    static OrdererChannel channelInfo(JsonNode node) {
        return new OrdererChannel(node.path("name").asText(), text(node, "url"), text(node, "consensusRelation"),
                text(node, "status"), node.path("height").asLong(0));
    }

    /** The {@code error} text of a participation API error body, or the body itself. */
    static String errorText(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through: not Fabric's JSON error
        }
        return body == null ? "" : body.strip();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String path(String channelId) {
        return CHANNELS + "/" + URLEncoder.encode(channelId, StandardCharsets.UTF_8);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
    }

    private HttpResponse<String> send(String operation, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OrdererAdminException(operation, 0, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdererAdminException(operation, 0, "interrupted", e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append("; ").append(c);
        }
        return text.toString();
    }

    private static JsonNode parse(String operation, HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new OrdererAdminException(operation, response.statusCode(), "unreadable response: " + e.getMessage(),
                    e);
        }
    }

    private static OrdererAdminException failure(String operation, HttpResponse<String> response) {
        return new OrdererAdminException(operation, response.statusCode(), errorText(response.body()), null);
    }

    @Override
    public void close() {
        http.close();
    }
}
