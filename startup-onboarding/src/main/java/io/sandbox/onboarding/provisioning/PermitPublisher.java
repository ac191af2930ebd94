package io.sandbox.onboarding.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.onboarding.review.PermitTerms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Tells the regulator dashboard of a startup and its permit: {@code PUT /api/v1/startups/{slug}/permit}. Repeating it
 * with the same terms is harmless (the dashboard keeps the permit as it is).
 */
final class PermitPublisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI dashboard;
    private final Supplier<String> accessToken;
    private final HttpClient http;

    PermitPublisher(URI dashboard, Supplier<String> accessToken) {
        this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
        this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Publishes the permit; throws {@link IllegalStateException} with the dashboard's answer when it refuses. */
    void publish(String slug, String channel, String mspId, PermitTerms terms, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel);
        body.put("mspId", mspId);
        body.put("maxCustomers", terms.maxCustomers());
        body.put("maxSingleValue", terms.maxSingleTransaction().toPlainString());
        body.put("maxDailyVolume", terms.maxDailyVolume().toPlainString());
        body.put("currency", terms.currency());
        body.put("allowedAssetTypes", terms.allowedAssetTypes());
        body.put("testWindowStart", terms.testWindowStart().toString());
        body.put("testWindowEnd", terms.testWindowEnd().toString());
        body.put("reason", reason);
        URI target = URI.create(dashboard.toString().replaceAll("/+$", "") + "/api/v1/startups/" + slug + "/permit");
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + accessToken.get())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the dashboard at %s refused the permit of %s (HTTP %d): %s"
                        .formatted(dashboard, slug, response.statusCode(), response.body()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard at " + dashboard + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the permit of " + slug, e);
        }
    }
}
