package io.sandbox.onboarding.provisioning;

import io.sandbox.core.platform.PermitClient;
import io.sandbox.onboarding.review.PermitTerms;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tells the regulator dashboard of a startup and its permit, through {@link PermitClient}. Repeating it with the same
 * terms is harmless (the dashboard keeps the permit as it is).
 */
final class PermitPublisher {

    private final PermitClient client;

    PermitPublisher(URI dashboard, Supplier<String> accessToken) {
        this.client = new PermitClient(dashboard, accessToken);
    }

    /**
     * Publishes the permit; throws {@link IllegalStateException} with the dashboard's answer when it refuses,
     * {@link java.io.UncheckedIOException} when it cannot be reached.
     */
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
        client.put(slug, body);
    }
}
