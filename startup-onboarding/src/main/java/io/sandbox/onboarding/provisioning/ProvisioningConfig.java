package io.sandbox.onboarding.provisioning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How the provisioning worker runs. */
@ConfigMapping(prefix = "sandbox.provisioning")
public interface ProvisioningConfig {

    /** Whether this instance runs the worker (several instances may: they never run one provisioning together). */
    @WithDefault("true")
    boolean worker();

    /** How often the worker looks for pending provisionings besides being woken by new requests. */
    @WithDefault("5s")
    Duration pollInterval();

    /** The longest one step may take (its database transaction stays open meanwhile). */
    @WithDefault("5m")
    Duration stepTimeout();

    /**
     * The regulator dashboard's base URL, told of each provisioned startup and its permit (step SUPERVISION); without
     * it that step has nothing to do.
     */
    Optional<URI> dashboardUrl();
}
