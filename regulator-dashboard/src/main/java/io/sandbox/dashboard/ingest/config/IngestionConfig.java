package io.sandbox.dashboard.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How the dashboard reaches the Fabric network whose channels it ingests. Without a profile, ingestion is off. */
@ConfigMapping(prefix = "sandbox.fabric")
public interface IngestionConfig {

    /** The network profile ({@code sandbox.network/1} JSON); env {@code SANDBOX_FABRIC_PROFILE}. */
    Optional<Path> profile();

    /** Base64 master secret that unseals the profile's keys; env {@code SANDBOX_FABRIC_MASTER_KEY}. */
    Optional<String> masterKey();

    /**
     * Base64 key for the HMAC-SHA256 digests of transaction arguments; when absent it is derived from the master key.
     */
    Optional<String> argumentKey();

    /** How often the regulator's peer is asked for its channels and their heights. */
    @WithDefault("5s")
    Duration discoveryInterval();

    /** The first wait after a stream failed; doubled per failure, with jitter. */
    @WithDefault("200ms")
    Duration backoffMin();

    /** The longest wait between reconnection attempts. */
    @WithDefault("15s")
    Duration backoffMax();

    /** The most blocks stored in one database transaction when catching up. */
    @WithDefault("50")
    int maxBlocksPerCommit();
}
