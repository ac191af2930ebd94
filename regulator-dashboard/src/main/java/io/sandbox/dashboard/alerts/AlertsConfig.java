package io.sandbox.dashboard.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Alerts: the webhook told of new alerts (off without a URL). */
@ConfigMapping(prefix = "sandbox.alerts")
public interface AlertsConfig {

    /** The webhook. */
    Webhook webhook();

    /** Where the dashboard's own pages are, for links in webhook payloads. */
    @WithDefault("http://localhost:8082")
    String dashboardUrl();

    /** The webhook for new alerts. */
    interface Webhook {
        /** The URL new alerts are POSTed to as JSON; off when absent or empty. */
        Optional<String> url();

        /** HMAC-SHA256 key for the {@code X-Sandbox-Signature} header (hex of the body's MAC); none when absent. */
        Optional<String> secret();

        /** Time allowed for one delivery. */
        @WithDefault("5s")
        Duration timeout();

        /** Deliveries tried before giving up (recorded in the outbox). */
        @WithDefault("8")
        int maxAttempts();

        /** The wait after the first failure; doubled per failure. */
        @WithDefault("1s")
        Duration backoff();

        /** How often the outbox is polled. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Whether a URL is configured. */
        default boolean enabled() {
            return url().filter(u -> !u.isBlank()).isPresent();
        }
    }
}
