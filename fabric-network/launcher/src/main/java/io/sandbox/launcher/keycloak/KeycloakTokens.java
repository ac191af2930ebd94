package io.sandbox.launcher.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Real tokens from Keycloak, for tests and demos. */
public final class KeycloakTokens {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeycloakTokens() {
    }

    /**
     * Resource-owner password grant, e.g. on the public client {@code sandbox-cli}; returns the access
     * token. Throws a {@link LauncherException} with Keycloak's error text on failure.
     */
    public static String passwordGrant(URI realmUri, String clientId, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        return token(realmUri, form, "password grant for user '%s' on client '%s'".formatted(username, clientId));
    }

    /** Client-credentials grant for a confidential client; returns the access token. */
    public static String clientCredentials(URI realmUri, String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return token(realmUri, form, "client-credentials grant for client '%s'".formatted(clientId));
    }

    private static String token(URI realmUri, Map<String, String> form, String what) {
        URI endpoint = URI.create(realmUri.toString().replaceAll("/+$", "") + "/protocol/openid-connect/token");
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LauncherException("Keycloak at %s did not answer the %s: %s".formatted(endpoint, what, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("Interrupted during the " + what, e);
        }
        JsonNode answer = parse(response.body());
        String accessToken = answer.path("access_token").asText("");
        if (response.statusCode() == 200 && !accessToken.isEmpty()) {
            return accessToken;
        }
        String error = answer.path("error").asText("");
        String description = answer.path("error_description").asText("");
        String text = error.isEmpty() ? "HTTP " + response.statusCode() + " " + abbreviate(response.body())
                : error + (description.isEmpty() ? "" : ": " + description);
        throw new LauncherException("Keycloak refused the %s: %s".formatted(what, text));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
