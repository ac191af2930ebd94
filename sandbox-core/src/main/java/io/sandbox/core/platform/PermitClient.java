package io.sandbox.core.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Sets a startup's permit on the regulator dashboard: {@code PUT /api/v1/startups/{startup}/permit} with a regulator's
 * (or the onboarding service account's) bearer token. The dashboard keeps an identical permit as it is, so repeating a
 * call is harmless. Thread-safe.
 */
public final class PermitClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI dashboard;
    private final Supplier<String> accessToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param accessToken asked for a token on every call (tokens expire) */
    public PermitClient(URI dashboard, Supplier<String> accessToken) {
        this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
        this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    }

    /**
     * Puts the permit: the dashboard's JSON body (docs/alerts.md, "Startups and permits").
     *
     * @throws IllegalStateException with the dashboard's answer when it refuses
     * @throws UncheckedIOException  when the dashboard cannot be reached
     */
    public void put(String startup, Map<String, ?> permit) {
        URI target = URI.create(dashboard.toString().replaceAll("/+$", "") + "/api/v1/startups/" + startup + "/permit");
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + accessToken.get())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(permit)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the dashboard at %s refused the permit of %s (HTTP %d): %s"
                        .formatted(dashboard, startup, response.statusCode(), response.body()));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the permit of " + startup + " is not JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard at " + dashboard + " cannot be reached to set the permit of "
                    + startup + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the permit of " + startup, e);
        }
    }
}
